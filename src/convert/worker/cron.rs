//! EB's `cron.yaml` schedules (standard five-field Unix cron, UTC) as EventBridge Scheduler
//! `cron(minutes hours day-of-month month day-of-week year)` expressions.
//!
//! What differs: EventBridge has six fields, exactly one of day-of-month / day-of-week is `?`,
//! its days of the week are 1-7 with 1 = Sunday (Unix: 0-7, 0 and 7 = Sunday), and it has no
//! way to say "this day of the month OR this day of the week", which Unix cron means when both
//! are restricted: such a schedule becomes two expressions. Every field is checked and written
//! back in a form EventBridge accepts (`*/n` as `start/n`, ranges and steps as lists).

use std::collections::BTreeSet;

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];
/// EventBridge's day names, 1 = SUN.
const DAYS: [&str; 7] = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/// One cron field: its range and the names it accepts (name `i` is value `first_name + i`).
struct Field {
    what: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
    first_name: u32,
    /// Where `N/STEP` ends (Saturday for days: 7 is Sunday again).
    last: u32,
}

const MINUTE: Field = Field {
    what: "minute",
    min: 0,
    max: 59,
    names: &[],
    first_name: 0,
    last: 59,
};
const HOUR: Field = Field {
    what: "hour",
    min: 0,
    max: 23,
    names: &[],
    first_name: 0,
    last: 23,
};
const DOM: Field = Field {
    what: "day of month",
    min: 1,
    max: 31,
    names: &[],
    first_name: 0,
    last: 31,
};
const MONTH: Field = Field {
    what: "month",
    min: 1,
    max: 12,
    names: &MONTHS,
    first_name: 1,
    last: 12,
};
const DOW: Field = Field {
    what: "day of week",
    min: 0,
    max: 7,
    names: &DAYS,
    first_name: 0,
    last: 6,
};

/// The schedule as EventBridge expressions: one, or two when EB's schedule restricted both the
/// day of the month and the day of the week (`Ok((expressions, split))`). An error says why the
/// schedule is not valid Unix cron.
pub fn to_eventbridge(schedule: &str) -> Result<(Vec<String>, bool), String> {
    let expanded = macro_schedule(schedule.trim()).unwrap_or(schedule.trim());
    let fields: Vec<&str> = expanded.split_whitespace().collect();
    let [min, hour, dom, month, dow] = fields[..] else {
        return Err(format!(
            "has {} fields; a cron schedule has five (minute hour day-of-month month day-of-week)",
            fields.len()
        ));
    };
    let min = written(&MINUTE, min)?;
    let hour = written(&HOUR, hour)?;
    let month = written(&MONTH, month)?;
    let dom_any = dom == "*";
    let dom_text = written(&DOM, dom)?;
    let days: BTreeSet<u32> = values(&DOW, dow)?.into_iter().map(|d| d % 7).collect();
    let dow_any = dow == "*" || days.len() == 7;
    if dow_any {
        return Ok((
            vec![format!("cron({min} {hour} {dom_text} {month} ? *)")],
            false,
        ));
    }
    let dow_text = day_list(&days);
    if dom_any {
        return Ok((
            vec![format!("cron({min} {hour} ? {month} {dow_text} *)")],
            false,
        ));
    }
    if dom.starts_with('*') || dow.starts_with('*') {
        // Unix cron ANDs the two day fields when one starts with `*` (e.g. `*/2`): EventBridge
        // can express neither the AND nor the OR.
        return Err(format!("restricts both days (`{dom}` and `{dow}`) with a step over `*`, which Unix cron reads as \"both must match\"; EventBridge cannot express that"));
    }
    Ok((
        vec![
            format!("cron({min} {hour} {dom_text} {month} ? *)"),
            format!("cron({min} {hour} ? {month} {dow_text} *)"),
        ],
        true,
    ))
}

/// The `@` shorthands of Unix cron.
fn macro_schedule(s: &str) -> Option<&'static str> {
    Some(match s.to_ascii_lowercase().as_str() {
        "@yearly" | "@annually" => "0 0 1 1 *",
        "@monthly" => "0 0 1 * *",
        "@weekly" => "0 0 * * 0",
        "@daily" | "@midnight" => "0 0 * * *",
        "@hourly" => "0 * * * *",
        _ => return None,
    })
}

/// A field as EventBridge reads it: `*`, `*/n` as `start/n`, anything else as the list of its
/// values (runs of three or more as ranges; months by name).
fn written(f: &Field, text: &str) -> Result<String, String> {
    if text == "*" {
        return Ok("*".to_string());
    }
    let set = values(f, text)?;
    if let Some(step) = text.strip_prefix("*/") {
        return Ok(format!("{}/{step}", f.min));
    }
    let name = |v: u32| match f.names.get((v - f.first_name) as usize) {
        Some(n) if !f.names.is_empty() => (*n).to_string(),
        _ => v.to_string(),
    };
    Ok(runs(&set, name))
}

/// Days of the week (0 = Sunday) by EventBridge name, Sunday first.
fn day_list(days: &BTreeSet<u32>) -> String {
    runs(days, |d| DAYS[d as usize].to_string())
}

/// A set of values as a list, runs of three or more written `first-last`.
fn runs(set: &BTreeSet<u32>, name: impl Fn(u32) -> String) -> String {
    let v: Vec<u32> = set.iter().copied().collect();
    let mut parts = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!("{}-{}", name(v[i]), name(v[j])));
        } else {
            parts.extend(v[i..=j].iter().map(|&x| name(x)));
        }
        i = j + 1;
    }
    parts.join(",")
}

/// Every value a field matches: a list of `*`, `N`, `A-B`, each with an optional `/STEP`.
fn values(f: &Field, text: &str) -> Result<BTreeSet<u32>, String> {
    let mut out = BTreeSet::new();
    for item in text.split(',') {
        let (range, step) = match item.split_once('/') {
            Some((r, s)) => (r, Some(number(f, s, "step")?)),
            None => (item, None),
        };
        let (lo, hi) = match range.split_once('-') {
            _ if range == "*" => (f.min, f.max),
            Some((a, b)) => (value(f, a)?, value(f, b)?),
            // `N/STEP` runs to the end of the field (Saturday for days: 7 is Sunday again).
            None if step.is_some() => (value(f, range)?, f.last),
            None => {
                let v = value(f, range)?;
                (v, v)
            }
        };
        if lo > hi {
            return Err(format!("{} range `{range}` runs backwards", f.what));
        }
        match step {
            Some(0) => return Err(format!("{} step in `{item}` is 0", f.what)),
            Some(s) => out.extend((lo..=hi).step_by(s as usize)),
            None => out.extend(lo..=hi),
        }
    }
    Ok(out)
}

/// One value: a number in the field's range or one of its names.
fn value(f: &Field, text: &str) -> Result<u32, String> {
    let upper = text.to_ascii_uppercase();
    if let Some(i) = f.names.iter().position(|n| *n == upper) {
        return Ok(i as u32 + f.first_name);
    }
    let v = number(f, text, "value")?;
    if v < f.min || v > f.max {
        return Err(format!("{} {v} is outside {}-{}", f.what, f.min, f.max));
    }
    Ok(v)
}

fn number(f: &Field, text: &str, what: &str) -> Result<u32, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("{} {what} `{text}` is not a number", f.what));
    }
    text.parse()
        .map_err(|_| format!("{} {what} `{text}` is too large", f.what))
}

#[cfg(test)]
mod tests {
    use super::to_eventbridge;

    /// Known EB (Unix cron) -> EventBridge pairs.
    #[test]
    fn conversion_table() {
        let table: &[(&str, &[&str])] = &[
            ("*/10 * * * *", &["cron(0/10 * * * ? *)"]),
            ("0 */12 * * *", &["cron(0 0/12 * * ? *)"]),
            ("0 23 * * *", &["cron(0 23 * * ? *)"]),
            ("0 9 * * 1-5", &["cron(0 9 ? * MON-FRI *)"]),
            ("30 2 * * 0", &["cron(30 2 ? * SUN *)"]),
            ("30 2 * * 7", &["cron(30 2 ? * SUN *)"]),
            ("0 12 * * sat,sun", &["cron(0 12 ? * SUN,SAT *)"]),
            ("0 8 * * 5-7", &["cron(0 8 ? * SUN,FRI,SAT *)"]),
            ("0 6 1 jan *", &["cron(0 6 1 JAN ? *)"]),
            ("0 0 1 Jan-Mar,dec *", &["cron(0 0 1 JAN-MAR,DEC ? *)"]),
            ("0 0 1,15 * *", &["cron(0 0 1,15 * ? *)"]),
            ("0 0 * */3 *", &["cron(0 0 * 1/3 ? *)"]),
            ("5-20/5 1-3 * * *", &["cron(5,10,15,20 1-3 * * ? *)"]),
            ("0 0 * * 0-6", &["cron(0 0 * * ? *)"]),
            ("0 0 * * 1/2", &["cron(0 0 ? * MON,WED,FRI *)"]),
            ("0 0 1 * 1", &["cron(0 0 1 * ? *)", "cron(0 0 ? * MON *)"]),
            ("@daily", &["cron(0 0 * * ? *)"]),
            ("@weekly", &["cron(0 0 ? * SUN *)"]),
            ("@hourly", &["cron(0 * * * ? *)"]),
        ];
        for (eb, expected) in table {
            let (got, split) = to_eventbridge(eb).unwrap_or_else(|e| panic!("{eb}: {e}"));
            assert_eq!(&got, expected, "{eb}");
            assert_eq!(split, expected.len() == 2, "{eb}");
        }
    }

    #[test]
    fn invalid_schedules_say_why() {
        for (eb, why) in [
            ("0 0 * *", "has 4 fields"),
            ("60 * * * *", "minute 60 is outside 0-59"),
            ("0 24 * * *", "hour 24 is outside 0-23"),
            ("0 0 0 * *", "day of month 0 is outside 1-31"),
            ("0 0 * 13 *", "month 13 is outside 1-12"),
            ("0 0 * * 8", "day of week 8 is outside 0-7"),
            ("0 0 * * mon-sun", "runs backwards"),
            ("*/0 * * * *", "step in `*/0` is 0"),
            ("x * * * *", "minute value `x` is not a number"),
            ("0 0 */2 * 1", "EventBridge cannot express that"),
            ("0 0 * * L", "day of week value `L`"),
        ] {
            let e = to_eventbridge(eb).expect_err(eb);
            assert!(e.contains(why), "{eb}: {e}");
        }
    }
}
