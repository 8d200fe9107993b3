//! The stack's IAM roles (each with its trust document, managed policies and inline policies
//! as `aws_iam_policy_document` data sources) and instance profiles; `iam.tf` holds the task's
//! two roles, the other roles land beside what uses them. The helpers below them serve the
//! files that still print from the context.

use super::ecs::{header, only};
use super::hcl::{self, raw, s, Body, Expr};
use super::model::{snake_words, terraform_name, Module};
use super::{data, resource};
use crate::error::Result;
use crate::infra::template::Resource;
use crate::infra::value::Value as V;

/// The blocks of a resource this file prints.
pub(super) fn print(m: &Module, r: &Resource) -> Option<Result<Vec<(String, Body)>>> {
    match r.kind.as_str() {
        "AWS::IAM::Role" => Some(role_blocks(m, r)),
        "AWS::IAM::InstanceProfile" => Some(instance_profile(m, r)),
        _ => None,
    }
}

/// A role: its trust document, the role, its managed policies, its inline policies.
fn role_blocks(m: &Module, r: &Resource) -> Result<Vec<(String, Body)>> {
    let p = m.props(r);
    let name = terraform_name(r);
    let role = m.address(&r.id).unwrap_or_default();
    let trust = p
        .get("AssumeRolePolicyDocument")
        .cloned()
        .unwrap_or_default();
    let trust_name = trust_name(&trust, &name);
    // The role's word in its name (IAM caps a name prefix at 38 characters).
    let short = match name.as_str() {
        "execution" => "exec".to_string(),
        "cron_scheduler" => "cron".to_string(),
        "worker_scheduler" => "sched".to_string(),
        other => other.replace('_', "-"),
    };
    let mut body = Body::new();
    if let Some(c) = &r.comment {
        body = body.comment(c);
    }
    let body = body
        .attr_opt("count", m.count(r))
        .attr(
            "name_prefix",
            raw(format!("\"${{substr(var.name, 0, 20)}}-{short}-\"")),
        )
        .attr_opt("description", p.get("Description").map(|v| m.expr(v)))
        .attr_opt("path", p.get("Path").map(|v| m.expr(v)))
        .attr_opt(
            "max_session_duration",
            p.get("MaxSessionDuration").map(|v| m.expr(v)),
        )
        .attr(
            "assume_role_policy",
            raw(format!("data.aws_iam_policy_document.{trust_name}.json")),
        );
    let mut out = vec![
        (
            data("aws_iam_policy_document", &trust_name),
            policy_document(m, &trust)?,
        ),
        (header(m, r), body),
    ];
    let managed = p
        .get("ManagedPolicyArns")
        .and_then(V::as_list)
        .unwrap_or(&[]);
    for (i, arn) in managed.iter().enumerate() {
        let label = if managed.len() == 1 {
            name.clone()
        } else {
            format!("{name}_{}", managed_label(arn, i))
        };
        let b = Body::new()
            .attr_opt("count", m.count(r))
            .attr("role", raw(format!("{role}.name")))
            .attr("policy_arn", m.expr(arn));
        out.push((resource("aws_iam_role_policy_attachment", &label), b));
    }
    for policy in p.get("Policies").and_then(V::as_list).unwrap_or(&[]) {
        out.extend(inline_policy(m, r, &name, &role, policy)?);
    }
    p.finish()?;
    Ok(out)
}

/// The name of a trust document: the ECS tasks' and EC2's are shared by every role they
/// trust; another is the role's own.
fn trust_name(trust: &V, role: &str) -> String {
    let service = trust
        .get("Statement")
        .and_then(V::as_list)
        .and_then(|l| l.first())
        .and_then(|st| st.get("Principal"))
        .and_then(|p| p.get("Service"))
        .and_then(V::as_str);
    match service {
        Some("ecs-tasks.amazonaws.com") => "ecs_tasks_assume".into(),
        Some("ec2.amazonaws.com") => "ec2_assume".into(),
        Some("scheduler.amazonaws.com") if role == "worker_scheduler" => "scheduler_assume".into(),
        _ => format!("{role}_assume"),
    }
}

/// A short name for one of several managed policies of a role.
fn managed_label(arn: &V, i: usize) -> String {
    let text = match arn {
        V::Sub(t) | V::Str(t) => t.as_str(),
        _ => "",
    };
    if text.ends_with("AmazonEC2ContainerServiceforEC2Role") {
        "ecs".into()
    } else if text.ends_with("AmazonSSMManagedInstanceCore") {
        "ssm".into()
    } else {
        i.to_string()
    }
}

/// One inline policy of a role (`Fn::If` around it: a `count` on the condition).
fn inline_policy(
    m: &Module,
    r: &Resource,
    role_name: &str,
    role: &str,
    policy: &V,
) -> Result<Vec<(String, Body)>> {
    let (cond, policy) = match policy {
        V::If(c, a, b) if matches!(b.as_ref(), V::Ref(n) if n == "AWS::NoValue") => {
            (Some(m.cond(c)), a.as_ref())
        }
        other => (None, other),
    };
    only(policy, &["PolicyName", "PolicyDocument"], "Policies")?;
    let pname = policy
        .get("PolicyName")
        .and_then(V::as_str)
        .unwrap_or("policy");
    let doc = snake_words(&pname.replace(['-', '.', ' '], "_")).replace("__", "_");
    let count = match (cond, &r.condition) {
        (Some(c), Some(rc)) => Some(raw(format!("{} && {} ? 1 : 0", m.cond(rc), c))),
        (Some(c), None) => Some(raw(format!("{c} ? 1 : 0"))),
        (None, _) => m.count(r),
    };
    let body = Body::new()
        .attr_opt("count", count)
        .attr("name", s(pname))
        .attr("role", raw(format!("{role}.id")))
        .attr(
            "policy",
            raw(format!("data.aws_iam_policy_document.{doc}.json")),
        );
    let document = policy_document(m, policy.get("PolicyDocument").unwrap_or(&V::Null))?;
    Ok(vec![
        (data("aws_iam_policy_document", &doc), document),
        (
            resource("aws_iam_role_policy", &format!("{role_name}_{doc}")),
            body,
        ),
    ])
}

/// An IAM policy document of the stack as an `aws_iam_policy_document` body.
pub(super) fn policy_document(m: &Module, doc: &V) -> Result<Body> {
    only(doc, &["Version", "Statement"], "a policy document")?;
    let statements = match doc.get("Statement") {
        Some(V::List(l)) => l.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    let mut b = Body::new();
    for (i, st) in statements.into_iter().enumerate() {
        if i > 0 {
            b = b.blank();
        }
        b = b.block("statement", statement(m, st)?);
    }
    Ok(b)
}

/// One item or a list, as a list.
fn list_of(m: &Module, v: &V) -> Expr {
    match v {
        V::List(_) => m.expr(v),
        other => Expr::List(vec![m.expr(other)]),
    }
}

fn statement(m: &Module, st: &V) -> Result<Body> {
    let keys = [
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Resource",
        "NotResource",
        "Principal",
        "Condition",
    ];
    only(st, &keys, "a policy statement")?;
    let mut b = Body::new()
        .attr_opt("sid", st.get("Sid").map(|v| m.expr(v)))
        .attr("effect", st.get("Effect").map_or(s("Allow"), |v| m.expr(v)))
        .attr_opt("actions", st.get("Action").map(|v| list_of(m, v)))
        .attr_opt("not_actions", st.get("NotAction").map(|v| list_of(m, v)))
        .attr_opt("resources", st.get("Resource").map(|v| list_of(m, v)))
        .attr_opt(
            "not_resources",
            st.get("NotResource").map(|v| list_of(m, v)),
        );
    match st.get("Principal") {
        Some(V::Str(star)) => {
            let p = Body::new()
                .attr("type", s(star))
                .attr("identifiers", hcl::strs([star]));
            b = b.blank().block("principals", p);
        }
        Some(principal) => {
            for (kind, who) in principal.as_map().unwrap_or(&[]) {
                let p = Body::new()
                    .attr("type", s(kind))
                    .attr("identifiers", list_of(m, who));
                b = b.blank().block("principals", p);
            }
        }
        None => {}
    }
    for (test, vars) in st.get("Condition").and_then(V::as_map).unwrap_or(&[]) {
        for (variable, values) in vars.as_map().unwrap_or(&[]) {
            let c = Body::new()
                .attr("test", s(test))
                .attr("variable", s(variable))
                .attr("values", list_of(m, values));
            b = b.blank().block("condition", c);
        }
    }
    Ok(b)
}

/// An instance profile of a role.
fn instance_profile(m: &Module, r: &Resource) -> Result<Vec<(String, Body)>> {
    let p = m.props(r);
    let role = p
        .get("Roles")
        .and_then(V::as_list)
        .and_then(|l| l.first())
        .map(|v| m.expr(v));
    let b = Body::new()
        .attr_opt("count", m.count(r))
        .attr_opt("name", p.get("InstanceProfileName").map(|v| m.expr(v)))
        .attr_opt("path", p.get("Path").map(|v| m.expr(v)))
        .attr_opt("role", role);
    p.finish()?;
    Ok(vec![(header(m, r), b)])
}
