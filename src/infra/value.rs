//! The values of the infrastructure model: data (strings, numbers, lists, ordered maps) and the
//! references between resources, parameters and conditions as typed variants, so a printer
//! never parses a string to find a reference. The vocabulary is CloudFormation's (its intrinsic
//! functions are the smallest set every target can express); the Terraform printer maps each
//! variant to an HCL expression.
//!
//! The JSON form ([`Value::to_json`], [`Value::from_json`]) is CloudFormation's long form
//! (`{"Ref": …}`, `{"Fn::Sub": …}`): the shape `--overrides` JSON-Patch operations address.

use serde_json::{Map, Number, Value as Json};

/// A value of the stack.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// `null` (a property left out).
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number.
    Num(Number),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Value>),
    /// A map, in its written order.
    Map(Vec<(String, Value)>),
    /// A parameter, resource or pseudo parameter (`AWS::Region`, `AWS::NoValue` …).
    Ref(String),
    /// An attribute of a resource.
    GetAtt(String, String),
    /// A string with `${Name}` / `${Resource.Attr}` references (`$${!…}` escapes one).
    Sub(String),
    /// `Fn::If`: the first value when the condition holds, else the second.
    If(String, Box<Value>, Box<Value>),
    /// Any other intrinsic function (`Fn::Equals`, `Fn::Not`, `Fn::Join`, `Fn::Select`,
    /// `Fn::Base64`, `Condition` …), by its long name, with its argument as written.
    Call(String, Box<Value>),
}

impl Value {
    /// A string.
    pub fn s(v: impl Into<String>) -> Value {
        Value::Str(v.into())
    }

    /// A number.
    pub fn n(v: impl Into<Number>) -> Value {
        Value::Num(v.into())
    }

    /// A `Ref`.
    pub fn r(name: impl Into<String>) -> Value {
        Value::Ref(name.into())
    }

    /// `AWS::NoValue`: the property is left out.
    pub fn no_value() -> Value {
        Value::Ref("AWS::NoValue".into())
    }

    /// A map from pairs.
    pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Value)>) -> Value {
        Value::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The value at `key` of a map.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The items, when this is a list.
    pub fn as_list(&self) -> Option<&[Value]> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The pairs, when this is a map.
    pub fn as_map(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// CloudFormation's long JSON form.
    pub fn to_json(&self) -> Json {
        let one = |k: &str, v: Json| {
            let mut m = Map::new();
            m.insert(k.to_string(), v);
            Json::Object(m)
        };
        match self {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Num(n) => Json::Number(n.clone()),
            Value::Str(s) => Json::String(s.clone()),
            Value::List(l) => Json::Array(l.iter().map(Value::to_json).collect()),
            Value::Map(m) => {
                Json::Object(m.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            Value::Ref(r) => one("Ref", Json::String(r.clone())),
            Value::GetAtt(r, a) => one(
                "Fn::GetAtt",
                Json::Array(vec![Json::String(r.clone()), Json::String(a.clone())]),
            ),
            Value::Sub(s) => one("Fn::Sub", Json::String(s.clone())),
            Value::If(c, a, b) => one(
                "Fn::If",
                Json::Array(vec![Json::String(c.clone()), a.to_json(), b.to_json()]),
            ),
            Value::Call(name, arg) => one(name, arg.to_json()),
        }
    }

    /// From CloudFormation's long JSON form (a one-key map whose key is `Ref`, `Condition` or
    /// starts with `Fn::` is a function).
    pub fn from_json(v: &Json) -> Value {
        Value::from_json_owned(v.clone())
    }

    /// [`Value::from_json`] taking the JSON: its strings move instead of being copied.
    pub fn from_json_owned(v: Json) -> Value {
        match v {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(b),
            Json::Number(n) => Value::Num(n),
            Json::String(s) => Value::Str(s),
            Json::Array(a) => Value::List(a.into_iter().map(Value::from_json_owned).collect()),
            Json::Object(m) if m.len() == 1 => {
                let (k, arg) = m.into_iter().next().expect("one entry");
                function(&k, Value::from_json_owned(arg))
                    .unwrap_or_else(|a| Value::Map(vec![(k, a)]))
            }
            Json::Object(m) => Value::Map(
                m.into_iter()
                    .map(|(k, v)| (k, Value::from_json_owned(v)))
                    .collect(),
            ),
        }
    }

    /// Every `Ref`, `GetAtt` and `${…}` name this value reads (pseudo parameters included), in
    /// order, with repeats.
    pub fn references(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |v| match v {
            Value::Ref(r) => out.push(r.clone()),
            Value::GetAtt(r, _) => out.push(r.clone()),
            Value::Sub(s) => out.extend(sub_names(s)),
            Value::If(c, _, _) => out.push(c.clone()),
            _ => {}
        });
        out
    }

    /// Whether this value is plain data: no stack function (`Ref`, `Fn::…`, a condition) anywhere
    /// inside it.
    pub fn is_literal(&self) -> bool {
        let mut literal = true;
        self.walk(&mut |v| {
            if matches!(
                v,
                Value::Ref(_) | Value::GetAtt(..) | Value::Sub(_) | Value::If(..) | Value::Call(..)
            ) {
                literal = false;
            }
        });
        literal
    }

    /// Visit this value and everything inside it, depth first.
    pub fn walk(&self, f: &mut dyn FnMut(&Value)) {
        f(self);
        match self {
            Value::List(l) => l.iter().for_each(|v| v.walk(f)),
            Value::Map(m) => m.iter().for_each(|(_, v)| v.walk(f)),
            Value::If(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Value::Call(_, a) => a.walk(f),
            _ => {}
        }
    }
}

/// The typed form of the intrinsic function `name` with argument `arg`, if it is one.
fn function(name: &str, arg: Value) -> Result<Value, Value> {
    Ok(match (name, arg) {
        ("Ref", Value::Str(s)) => Value::Ref(s),
        ("Fn::GetAtt", Value::List(l)) if l.len() == 2 => match (&l[0], &l[1]) {
            (Value::Str(r), Value::Str(a)) => Value::GetAtt(r.clone(), a.clone()),
            _ => Value::Call(name.into(), Box::new(Value::List(l))),
        },
        ("Fn::GetAtt", Value::Str(s)) => match s.split_once('.') {
            Some((r, a)) => Value::GetAtt(r.into(), a.into()),
            None => Value::Call(name.into(), Box::new(Value::Str(s))),
        },
        ("Fn::Sub", Value::Str(s)) => Value::Sub(s),
        ("Fn::If", Value::List(mut l)) if l.len() == 3 => {
            if let Value::Str(c) = &l[0] {
                let c = c.clone();
                let b = l.pop().expect("three");
                let a = l.pop().expect("three");
                Value::If(c, Box::new(a), Box::new(b))
            } else {
                Value::Call(name.into(), Box::new(Value::List(l)))
            }
        }
        (n, a) if n.starts_with("Fn::") || n == "Condition" => Value::Call(n.into(), Box::new(a)),
        (_, a) => return Err(a),
    })
}

/// The names an `Fn::Sub` string reads (`${Name}`, `${Res.Attr}` gives `Res`); `${!…}` is text.
pub fn sub_names(s: &str) -> Vec<String> {
    sub_parts(s)
        .into_iter()
        .filter_map(|p| match p {
            SubPart::Ref(n) => Some(n.split('.').next().unwrap_or(&n).to_string()),
            SubPart::Text(_) => None,
        })
        .collect()
}

/// A piece of an `Fn::Sub` string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubPart {
    /// Literal text (an escaped `${!x}` is the text `${x}`).
    Text(String),
    /// A reference: `Name` or `Resource.Attribute`.
    Ref(String),
}

/// An `Fn::Sub` string split into text and references.
pub fn sub_parts(s: &str) -> Vec<SubPart> {
    let mut parts = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("${") {
        text.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        match after.find('}') {
            Some(j) if after.starts_with('!') => {
                text.push_str("${");
                text.push_str(&after[1..=j]);
                rest = &after[j + 1..];
            }
            Some(j) => {
                if !text.is_empty() {
                    parts.push(SubPart::Text(std::mem::take(&mut text)));
                }
                parts.push(SubPart::Ref(after[..j].trim().to_string()));
                rest = &after[j + 1..];
            }
            None => {
                text.push_str("${");
                rest = after;
            }
        }
    }
    text.push_str(rest);
    if !text.is_empty() {
        parts.push(SubPart::Text(text));
    }
    parts
}

/// Text made safe to place inside an `Fn::Sub` string: every `${` becomes `${!`, so
/// CloudFormation substitutes nothing in it.
pub fn sub_escape(text: &str) -> String {
    text.replace("${", "${!")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_form_round_trips() {
        let j = json!({"A": {"Ref": "X"}, "B": {"Fn::GetAtt": ["R", "Arn"]},
            "C": {"Fn::If": ["Cond", {"Fn::Sub": "a-${X}"}, {"Ref": "AWS::NoValue"}]},
            "D": {"Fn::Equals": [{"Ref": "P"}, ""]}, "E": [1, true, null]});
        let v = Value::from_json(&j);
        assert_eq!(v.get("A"), Some(&Value::r("X")));
        assert_eq!(v.get("B"), Some(&Value::GetAtt("R".into(), "Arn".into())));
        assert!(matches!(v.get("C"), Some(Value::If(..))));
        assert!(matches!(v.get("D"), Some(Value::Call(n, _)) if n == "Fn::Equals"));
        assert_eq!(v.to_json(), j);
        assert_eq!(v.references(), ["X", "R", "Cond", "X", "AWS::NoValue", "P"]);
    }

    #[test]
    fn sub_strings_split_and_escape() {
        assert_eq!(
            sub_parts("arn:${AWS::Partition}:x/${!lit}/${R.Arn}"),
            vec![
                SubPart::Text("arn:".into()),
                SubPart::Ref("AWS::Partition".into()),
                SubPart::Text(":x/${lit}/".into()),
                SubPart::Ref("R.Arn".into()),
            ]
        );
        assert_eq!(sub_escape("a${HOME}b"), "a${!HOME}b");
        assert_eq!(
            sub_parts(&sub_escape("a${HOME}b")),
            vec![SubPart::Text("a${HOME}b".into())]
        );
    }
}
