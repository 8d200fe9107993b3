//! Value coercion shared by the v1 and v2 readers.
//!
//! This module owns reading single values the way both Dockerrun versions need them: strings,
//! booleans that may be written as strings, numbers that may be written as strings, port
//! numbers (and template placeholders standing for one), the one port-mapping loop, commands
//! split like a shell, registry authentication, and ECS-shaped values checked by serde with the
//! failing field's JSON pointer. It also has the JSON pointer and kind-name helpers.

use super::{escape_pointer, Authentication, EbContainer, EbPort, Parser};
use crate::codes;
use crate::error::InputError;
use crate::finding::Severity;
use crate::support::Handling;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// How the Dockerrun format documents a key that real files also write as a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Documented {
    /// As a JSON boolean or array (v2): a string is accepted, with a finding.
    Json,
    /// As a string (v1): a string is the normal form, accepted silently.
    String,
}

impl Documented {
    /// How messages spell the two accepted booleans.
    fn bool_words(self) -> &'static str {
        match self {
            Documented::Json => "true or false",
            Documented::String => "\"true\" or \"false\"",
        }
    }

    /// How messages show a string that is not a boolean.
    fn show_string(self, s: &str) -> String {
        match self {
            Documented::Json => format!("the string {s:?}"),
            Documented::String => format!("{s:?}"),
        }
    }
}

/// How one Dockerrun version spells a port mapping, for [`Parser::port_mappings`].
pub(super) struct PortKeys {
    /// What one mapping is called in messages.
    pub what: &'static str,
    /// What one mapping must be, in messages.
    pub shape: &'static str,
    /// The container port's key.
    pub container: &'static str,
    /// The host port's key.
    pub host: &'static str,
    /// The protocol's key, when the version has one.
    pub protocol: Option<&'static str>,
}

/// The JSON kind of `v`, for messages ("a string", "an array", ...).
pub(super) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `v` as an array, or the error that names `key` and what was found instead.
pub(super) fn array<'v>(
    v: &'v Value,
    pointer: &str,
    key: &str,
) -> Result<&'v Vec<Value>, InputError> {
    v.as_array().ok_or_else(|| {
        InputError::new(
            pointer,
            format!("{key} must be an array, found {}", kind_of(v)),
        )
    })
}

/// The JSON pointer of `key` under `base`.
pub(super) fn ptr(base: &str, key: &str) -> String {
    format!("{base}/{}", escape_pointer(key))
}

/// The JSON pointer of item `i` under `base`.
pub(super) fn idx(base: &str, i: usize) -> String {
    format!("{base}/{i}")
}

/// The error for a key that is in a support table but that the reader does not handle.
pub(super) fn unhandled(pointer: String, key: &str) -> InputError {
    InputError::new(
        pointer,
        format!("internal: key `{key}` is in the table but not handled"),
    )
}

/// A string.
pub(super) fn string(v: &Value, pointer: &str, key: &str) -> Result<String, InputError> {
    v.as_str().map(str::to_string).ok_or_else(|| {
        InputError::new(
            pointer,
            format!("{key} must be a string, found {}", kind_of(v)),
        )
    })
}

/// `obj[key]` as a string, `None` when missing or null.
pub(super) fn opt_string(
    obj: &Map<String, Value>,
    base: &str,
    key: &str,
) -> Result<Option<String>, InputError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => string(v, &ptr(base, key), key).map(Some),
    }
}

/// `obj[key]` as a string, required.
pub(super) fn req_string(
    obj: &Map<String, Value>,
    base: &str,
    key: &str,
) -> Result<String, InputError> {
    opt_string(obj, base, key)?
        .ok_or_else(|| InputError::new(base, format!("`{key}` is required here")))
}

/// Deserialise an ECS-shaped value, reporting the exact field that does not fit.
pub(super) fn typed<T: DeserializeOwned>(v: &Value, pointer: &str) -> Result<T, InputError> {
    serde_path_to_error::deserialize(v).map_err(|e| {
        let mut p = pointer.to_string();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => p.push_str(&format!("/{index}")),
                serde_path_to_error::Segment::Map { key } => {
                    p.push_str(&format!("/{}", escape_pointer(key)))
                }
                serde_path_to_error::Segment::Enum { .. }
                | serde_path_to_error::Segment::Unknown => {}
            }
        }
        InputError::new(p, e.into_inner().to_string())
    })
}

/// Copy a key the support table marks as passed through, after checking its JSON kind.
pub(super) fn passthrough(
    c: &mut EbContainer,
    handling: Handling,
    key: &str,
    val: &Value,
    pointer: String,
) -> Result<(), InputError> {
    let Handling::Passthrough(kind) = handling else {
        return Err(unhandled(pointer, key));
    };
    if !kind.matches(val) {
        return Err(InputError::new(
            pointer,
            format!("{key} must be {}, found {}", kind.name(), kind_of(val)),
        ));
    }
    c.other.insert(key.to_string(), val.clone());
    Ok(())
}

/// A port number (a number or a numeric string); 0 only when `allow_zero`.
fn port(v: &Value, pointer: &str, key: &str, allow_zero: bool) -> Result<u16, InputError> {
    let n: Option<u64> = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    let shown = match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    };
    match n {
        Some(0) if allow_zero => Ok(0),
        Some(n) if (1..=65535).contains(&n) => Ok(n as u16),
        _ => Err(InputError::new(
            pointer,
            format!("{key} must be a port number from 1 to 65535, found {shown}"),
        )),
    }
}

/// A port mapping's protocol: `tcp` or `udp`, in any case.
fn protocol(v: &Value, pointer: &str, key: &str) -> Result<String, InputError> {
    let p = string(v, pointer, key)?.to_ascii_lowercase();
    if p != "tcp" && p != "udp" {
        return Err(InputError::new(
            pointer,
            format!("protocol must be tcp or udp, found {p:?}"),
        ));
    }
    Ok(p)
}

impl Parser {
    /// A boolean, also accepted as the string "true" or "false" (with a finding when the format
    /// documents a JSON boolean).
    pub(super) fn boolish(
        &mut self,
        v: &Value,
        pointer: &str,
        key: &str,
        documented: Documented,
    ) -> Result<bool, InputError> {
        let expected = documented.bool_words();
        let s = match v {
            Value::Bool(b) => return Ok(*b),
            Value::String(s) => s,
            other => {
                return Err(InputError::new(
                    pointer,
                    format!("{key} must be {expected}, found {}", kind_of(other)),
                ))
            }
        };
        let b = match s.trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => {
                return Err(InputError::new(
                    pointer,
                    format!(
                        "{key} must be {expected}, found {}",
                        documented.show_string(s)
                    ),
                ))
            }
        };
        if documented == Documented::Json {
            self.finding(
                codes::DOCKERRUN_BOOL_STRING,
                Severity::Info,
                pointer,
                format!("{key} is the string {s:?}; read as {b}"),
                "Nothing to do.",
            );
        }
        Ok(b)
    }

    /// A non-negative integer, accepting a numeric string with a finding when `lenient_string`.
    pub(super) fn number(
        &mut self,
        v: &Value,
        pointer: &str,
        key: &str,
        lenient_string: bool,
    ) -> Result<u32, InputError> {
        match v {
            Value::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| {
                    InputError::new(
                        pointer,
                        format!("{key} must be a whole number ≥ 0, found {n}"),
                    )
                }),
            Value::String(s) if lenient_string => match s.trim().parse::<u32>() {
                Ok(n) => {
                    self.finding(
                        codes::DOCKERRUN_NUMBER_STRING,
                        Severity::Info,
                        pointer,
                        format!("{key} is the string {s:?}; read as {n}"),
                        "Nothing to do.",
                    );
                    Ok(n)
                }
                Err(_) => Err(InputError::new(
                    pointer,
                    format!("{key} must be a whole number, found the string {s:?}"),
                )),
            },
            other => Err(InputError::new(
                pointer,
                format!("{key} must be a whole number, found {}", kind_of(other)),
            )),
        }
    }

    /// A command or entry point: a list of strings, or one string split like a shell (with a
    /// finding when the format documents a list).
    pub(super) fn command(
        &mut self,
        v: &Value,
        pointer: &str,
        key: &str,
        documented: Documented,
    ) -> Result<Vec<String>, InputError> {
        let Value::String(s) = v else {
            return typed(v, pointer);
        };
        let words = shell_words::split(s).map_err(|e| {
            InputError::new(
                pointer,
                format!("{key} cannot be split like a shell command: {e}"),
            )
        })?;
        if documented == Documented::Json {
            self.finding(
                codes::DOCKERRUN_COMMAND_STRING,
                Severity::Info,
                pointer,
                format!(
                    "{key} is a single string; split like a shell into {} words",
                    words.len()
                ),
                format!("Check the {key} in the task definition."),
            );
        }
        Ok(words)
    }

    /// A port, or `None` for a template placeholder (a blocker finding says so).
    fn port_or_placeholder(
        &mut self,
        v: &Value,
        pointer: &str,
        key: &str,
        allow_zero: bool,
    ) -> Result<Option<u16>, InputError> {
        if let Value::String(s) = v {
            if crate::detect::placeholder_reason(s).is_some() || s.contains('%') {
                self.finding(
                    codes::PORT_PLACEHOLDER,
                    Severity::Blocker,
                    pointer,
                    format!("{key} is the template placeholder {s:?}; this port mapping was left out"),
                    "Put the real port number in the Dockerrun and run eb2ecs again (until then no load balancer reaches this port).",
                );
                return Ok(None);
            }
        }
        port(v, pointer, key, allow_zero).map(Some)
    }

    /// The port mappings under `key` (v2 `portMappings`, v1 `Ports`), spelled as `keys` says;
    /// mappings whose container port is a placeholder are left out.
    pub(super) fn port_mappings(
        &mut self,
        v: &Value,
        pointer: &str,
        key: &str,
        keys: &PortKeys,
    ) -> Result<Vec<EbPort>, InputError> {
        let arr = array(v, pointer, key)?;
        let mut out = Vec::new();
        for (i, pm) in arr.iter().enumerate() {
            out.extend(self.port_mapping(pm, idx(pointer, i), keys)?);
        }
        Ok(out)
    }

    /// One port mapping, or `None` when its container port is a placeholder.
    fn port_mapping(
        &mut self,
        pm: &Value,
        pp: String,
        keys: &PortKeys,
    ) -> Result<Option<EbPort>, InputError> {
        let obj = pm.as_object().ok_or_else(|| {
            InputError::new(
                &pp,
                format!(
                    "a {} must be {}, found {}",
                    keys.what,
                    keys.shape,
                    kind_of(pm)
                ),
            )
        })?;
        let mut container_port = None;
        let mut host_port = None;
        let mut placeholder = false;
        let mut protocol = "tcp".to_string();
        for (k, val) in obj {
            let kp = ptr(&pp, k);
            if k == keys.container {
                match self.port_or_placeholder(val, &kp, k, false)? {
                    Some(p) => container_port = Some(p),
                    None => placeholder = true,
                }
            } else if k == keys.host {
                host_port = self.port_or_placeholder(val, &kp, k, true)?;
            } else if keys.protocol == Some(k.as_str()) {
                protocol = self::protocol(val, &kp, k)?;
            } else {
                self.unknown_key(&pp, k, keys.what);
            }
        }
        if placeholder {
            return Ok(None);
        }
        let container_port = container_port.ok_or_else(|| {
            InputError::new(&pp, format!("{} has no {}", keys.what, keys.container))
        })?;
        Ok(Some(EbPort {
            container_port,
            host_port: host_port.filter(|p| *p != 0),
            protocol,
            pointer: pp,
        }))
    }

    /// Registry authentication (the dockercfg's S3 location), whose keys the version spells
    /// `bucket_key` and `key_key`; other cases are read with a finding.
    pub(super) fn authentication(
        &mut self,
        v: &Value,
        pointer: &str,
        bucket_key: &str,
        key_key: &str,
    ) -> Result<Authentication, InputError> {
        let obj = v.as_object().ok_or_else(|| {
            InputError::new(
                pointer,
                format!("authentication must be an object, found {}", kind_of(v)),
            )
        })?;
        let mut bucket = None;
        let mut key = None;
        for (k, val) in obj {
            let (slot, documented) = match k.to_ascii_lowercase().as_str() {
                "bucket" => (&mut bucket, bucket_key),
                "key" => (&mut key, key_key),
                _ => {
                    self.unknown_key(pointer, k, "authentication");
                    continue;
                }
            };
            *slot = Some(self.authentication_field(val, pointer, k, documented)?);
        }
        match (bucket, key) {
            (Some(bucket), Some(key)) => Ok(Authentication {
                bucket,
                key,
                pointer: pointer.to_string(),
            }),
            _ => Err(InputError::new(
                pointer,
                "authentication needs both a bucket and a key (the S3 location of the dockercfg file)",
            )),
        }
    }

    /// One authentication field `k`, documented as `documented` (a finding when the case differs).
    fn authentication_field(
        &mut self,
        val: &Value,
        pointer: &str,
        k: &str,
        documented: &str,
    ) -> Result<String, InputError> {
        if k != documented {
            self.finding(
                codes::DOCKERRUN_KEY_CASE,
                Severity::Info,
                &ptr(pointer, k),
                format!("`{k}` read as `{documented}`"),
                "Nothing to do.",
            );
        }
        string(val, &ptr(pointer, k), k)
    }
}

#[cfg(test)]
mod tests {
    use super::super::*;
    use serde_json::json;

    #[test]
    fn wrong_type_inside_ecs_field_names_the_field() {
        let doc = json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "a", "image": "x", "healthCheck": {"command": ["CMD"], "interval": "often"}}]});
        let err = parse("f", &doc).unwrap_err();
        assert_eq!(err.pointer, "/containerDefinitions/0/healthCheck/interval");
    }

    #[test]
    fn impossible_port_is_refused() {
        let doc = json!({"AWSEBDockerrunVersion": 2, "containerDefinitions": [
            {"name": "a", "image": "x", "portMappings": [{"containerPort": 70000}]}]});
        let err = parse("f", &doc).unwrap_err();
        assert_eq!(
            err.pointer,
            "/containerDefinitions/0/portMappings/0/containerPort"
        );
    }
}
