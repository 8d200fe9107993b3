//! Compose value forms: durations (`1m30s`), sizes (`512m`), commands, ports (short and long
//! forms, ranges), health checks and key/value lists. Pure functions over JSON values; errors
//! carry the JSON pointer of the value.

use crate::ecs;
use crate::error::InputError;
use crate::load::dockerrun::EbPort;
use serde_json::Value;

/// `base/key` as a JSON pointer.
pub fn ptr(base: &str, key: &str) -> String {
    format!("{base}/{}", crate::load::dockerrun::escape_pointer(key))
}

/// `base/i`.
pub fn idx(base: &str, i: usize) -> String {
    format!("{base}/{i}")
}

/// A scalar as text (strings, numbers and booleans), `None` for other values.
pub fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A scalar, or an error naming what was expected.
pub fn text(v: &Value, pointer: &str, what: &str) -> Result<String, InputError> {
    scalar(v).ok_or_else(|| InputError::new(pointer, format!("{what} must be a string")))
}

/// A string or a list of strings.
pub fn strings(v: &Value, pointer: &str, what: &str) -> Result<Vec<String>, InputError> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| text(x, &idx(pointer, i), what))
            .collect(),
        other => Ok(vec![text(other, pointer, what)?]),
    }
}

/// A command: a list as is, a string split the way compose splits it (like a shell).
pub fn command(v: &Value, pointer: &str) -> Result<Vec<String>, InputError> {
    match v {
        Value::String(s) => shell_words::split(s)
            .map_err(|e| InputError::new(pointer, format!("cannot split the command `{s}`: {e}"))),
        _ => strings(v, pointer, "a command item"),
    }
}

/// A duration (`1m30s`, `10s`, `500ms`, `1h`, or a number of seconds) in whole seconds,
/// rounded up.
pub fn duration(v: &Value, pointer: &str) -> Result<u32, InputError> {
    let s = text(v, pointer, "a duration")?;
    let bad = || InputError::new(pointer, format!("`{s}` is not a duration (like 1m30s)"));
    if let Ok(n) = s.trim().parse::<f64>() {
        return Ok(n.max(0.0).ceil() as u32);
    }
    let mut ms = 0f64;
    let mut rest = s.trim();
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(bad)?;
        let n: f64 = rest[..num_len].parse().map_err(|_| bad())?;
        let unit_len = rest[num_len..]
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len() - num_len);
        let unit = &rest[num_len..num_len + unit_len];
        let factor = match unit {
            "h" => 3_600_000.0,
            "m" => 60_000.0,
            "s" => 1000.0,
            "ms" => 1.0,
            "us" | "µs" => 0.001,
            "ns" => 0.000_001,
            _ => return Err(bad()),
        };
        ms += n * factor;
        rest = &rest[num_len + unit_len..];
    }
    Ok((ms / 1000.0).ceil() as u32)
}

/// A size (`512m`, `1g`, `1gb`, `262144k` or bytes) in MiB, rounded up.
pub fn mib(v: &Value, pointer: &str) -> Result<u32, InputError> {
    let s = text(v, pointer, "a size")?.to_ascii_lowercase();
    let bad = || InputError::new(pointer, format!("`{s}` is not a size (like 512m)"));
    let t = s.trim().trim_end_matches('b');
    let (num, factor) = match t.chars().last() {
        Some('k') => (&t[..t.len() - 1], 1.0 / 1024.0),
        Some('m') => (&t[..t.len() - 1], 1.0),
        Some('g') => (&t[..t.len() - 1], 1024.0),
        _ => (t, 1.0 / (1024.0 * 1024.0)),
    };
    let n: f64 = num.trim().parse().map_err(|_| bad())?;
    Ok((n * factor).ceil().max(0.0) as u32)
}

/// `cpus` (`0.5`, `"1.5"`) as ECS CPU units.
pub fn cpu_units(v: &Value, pointer: &str) -> Result<u32, InputError> {
    let s = text(v, pointer, "cpus")?;
    let n: f64 = s
        .trim()
        .parse()
        .map_err(|_| InputError::new(pointer, format!("cpus `{s}` is not a number")))?;
    Ok((n * 1024.0).round().max(0.0) as u32)
}

/// A port or a port range (`8000-8002`).
fn port_range(s: &str, pointer: &str, whole: &str) -> Result<Vec<u16>, InputError> {
    let bad = || InputError::new(pointer, format!("`{whole}` is not a port mapping"));
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: u16 = a.trim().parse().map_err(|_| bad())?;
    let b: u16 = b.trim().parse().map_err(|_| bad())?;
    if b < a || a == 0 {
        return Err(bad());
    }
    Ok((a..=b).collect())
}

/// One `ports` entry: `[IP:][HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTOCOL]` or the long form.
pub fn ports(v: &Value, pointer: &str) -> Result<Vec<EbPort>, InputError> {
    if let Value::Object(m) = v {
        return long_port(m, pointer);
    }
    let whole = text(v, pointer, "a port mapping")?;
    let (spec, protocol) = match whole.rsplit_once('/') {
        Some((s, p)) => (s, p.to_ascii_lowercase()),
        None => (whole.as_str(), "tcp".to_string()),
    };
    let parts: Vec<&str> = spec.rsplitn(3, ':').collect();
    let container = port_range(parts[0], pointer, &whole)?;
    let host = match parts.get(1) {
        Some(h) if !h.is_empty() => Some(port_range(h, pointer, &whole)?),
        _ => None,
    };
    if host
        .as_ref()
        .is_some_and(|h| h.len() != container.len() && h.len() != 1)
    {
        return Err(InputError::new(
            pointer,
            format!("`{whole}`: the host and container ranges differ in length"),
        ));
    }
    Ok(container
        .iter()
        .enumerate()
        .map(|(i, c)| EbPort {
            container_port: *c,
            host_port: host
                .as_ref()
                .map(|h| if h.len() == 1 { h[0] } else { h[i] }),
            protocol: protocol.clone(),
            pointer: pointer.to_string(),
        })
        .collect())
}

/// The long form `{target, published, protocol, host_ip, mode}`.
fn long_port(m: &serde_json::Map<String, Value>, pointer: &str) -> Result<Vec<EbPort>, InputError> {
    let target = m
        .get("target")
        .and_then(scalar)
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| InputError::new(pointer, "a long-form port needs a numeric `target`"))?;
    let host = match m.get("published").and_then(scalar) {
        Some(p) => Some(port_range(&p, &ptr(pointer, "published"), &p)?[0]),
        None => None,
    };
    let protocol = m
        .get("protocol")
        .and_then(scalar)
        .unwrap_or_else(|| "tcp".to_string());
    Ok(vec![EbPort {
        container_port: target,
        host_port: host,
        protocol,
        pointer: pointer.to_string(),
    }])
}

/// A map or a `KEY=VALUE` list as pairs (a list item without `=` has value `None`).
pub fn pairs(
    v: &Value,
    pointer: &str,
    what: &str,
) -> Result<Vec<(String, Option<String>, String)>, InputError> {
    match v {
        Value::Object(m) => Ok(m
            .iter()
            .map(|(k, x)| (k.clone(), scalar(x), ptr(pointer, k)))
            .collect()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let p = idx(pointer, i);
                let s = text(x, &p, what)?;
                Ok(match s.split_once('=') {
                    Some((k, val)) => (k.to_string(), Some(val.to_string()), p),
                    None => (s, None, p),
                })
            })
            .collect(),
        _ => Err(InputError::new(
            pointer,
            format!("{what} must be a map or a list"),
        )),
    }
}

/// A health check; `None` when disabled (`disable: true` or test `NONE`).
pub fn healthcheck(v: &Value, pointer: &str) -> Result<Option<ecs::HealthCheck>, InputError> {
    let m = v
        .as_object()
        .ok_or_else(|| InputError::new(pointer, "healthcheck must be a map"))?;
    if m.get("disable").is_some_and(|d| d == &Value::Bool(true)) {
        return Ok(None);
    }
    let command = match m.get("test") {
        None => return Ok(None),
        Some(Value::String(s)) => vec!["CMD-SHELL".to_string(), s.clone()],
        Some(t) => strings(t, &ptr(pointer, "test"), "a healthcheck test item")?,
    };
    if command.first().is_some_and(|c| c == "NONE") {
        return Ok(None);
    }
    let secs = |key: &str, lo: u32, hi: u32| -> Result<Option<u32>, InputError> {
        m.get(key)
            .map(|x| duration(x, &ptr(pointer, key)).map(|s| s.clamp(lo, hi)))
            .transpose()
    };
    let retries = match m.get("retries") {
        Some(r) => Some(duration(r, &ptr(pointer, "retries"))?.clamp(1, 10)),
        None => None,
    };
    Ok(Some(ecs::HealthCheck {
        command,
        interval: secs("interval", 5, 300)?,
        timeout: secs("timeout", 2, 60)?,
        retries,
        start_period: secs("start_period", 0, 300)?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_and_sizes() {
        assert_eq!(duration(&json!("1m30s"), "").unwrap(), 90);
        assert_eq!(duration(&json!("500ms"), "").unwrap(), 1);
        assert_eq!(duration(&json!(20), "").unwrap(), 20);
        assert!(duration(&json!("soon"), "/x").is_err());
        assert_eq!(mib(&json!("512m"), "").unwrap(), 512);
        assert_eq!(mib(&json!("1gb"), "").unwrap(), 1024);
        assert_eq!(mib(&json!(1048576), "").unwrap(), 1);
        assert_eq!(cpu_units(&json!("0.5"), "").unwrap(), 512);
    }

    #[test]
    fn port_forms() {
        let p = ports(&json!("127.0.0.1:8080:80/udp"), "/p").unwrap();
        assert_eq!(
            (p[0].container_port, p[0].host_port, p[0].protocol.as_str()),
            (80, Some(8080), "udp")
        );
        let r = ports(&json!("8000-8001:9000-9001"), "/p").unwrap();
        assert_eq!(
            r.iter()
                .map(|p| (p.host_port, p.container_port))
                .collect::<Vec<_>>(),
            vec![(Some(8000), 9000), (Some(8001), 9001)]
        );
        assert_eq!(ports(&json!(3000), "/p").unwrap()[0].host_port, None);
        let l = ports(&json!({"target": 80, "published": "8080"}), "/p").unwrap();
        assert_eq!((l[0].container_port, l[0].host_port), (80, Some(8080)));
        assert!(ports(&json!("web:80"), "/p").is_err());
    }

    #[test]
    fn healthcheck_forms() {
        let h = healthcheck(
            &json!({"test": "curl -f localhost", "interval": "1m30s", "retries": 3}),
            "",
        )
        .unwrap()
        .unwrap();
        assert_eq!(h.command, vec!["CMD-SHELL", "curl -f localhost"]);
        assert_eq!((h.interval, h.retries), (Some(90), Some(3)));
        assert!(healthcheck(&json!({"test": ["NONE"]}), "")
            .unwrap()
            .is_none());
        assert!(healthcheck(&json!({"disable": true}), "")
            .unwrap()
            .is_none());
    }
}
