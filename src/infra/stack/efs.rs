//! The EFS file system EB's instances mounted: its parameters and the mount targets' ingress
//! (the task role's policy is in `iam.rs`, the volume in the task definition).

use super::context::Context;
use super::parameters::{empty_default, with_default, SECURITY_GROUP_OR_EMPTY};
use super::{param, resource, With};
use crate::infra::template::{Parameter, Template};
use serde_json::json;

/// `EfsFileSystemId` and `EfsSecurityGroupId`.
pub(super) fn parameters(t: &mut Template, ctx: &Context) {
    let Some(efs) = &ctx.efs else { return };
    let id = Parameter {
        allowed_pattern: Some("^fs-[0-9a-f]+$".into()),
        ..param(
            super::context::EFS_FILE_SYSTEM_PARAMETER,
            "String",
            "EFS file system the task mounts, as EB's instances did (fs-...)",
        )
    };
    t.parameters
        .push(with_default(id, efs.file_system_default.as_deref()));
    t.parameters.push(empty_default(Parameter {
        allowed_pattern: Some(SECURITY_GROUP_OR_EMPTY.into()),
        ..param(
            "EfsSecurityGroupId",
            "String",
            "Security group of the EFS file system's mount targets: the stack admits the service on TCP 2049 to it; leave empty to allow it yourself (CHECKLIST.md)",
        )
    }));
}

/// `EfsIngress`, when the mount targets' group is given.
pub(super) fn add(t: &mut Template, ctx: &Context) {
    if ctx.efs.is_none() {
        return;
    }
    t.resources.push(
        resource(
            "EfsIngress",
            "AWS::EC2::SecurityGroupIngress",
            json!({
                "GroupId": {"Ref": "EfsSecurityGroupId"},
                "IpProtocol": "tcp",
                "FromPort": 2049,
                "ToPort": 2049,
                "SourceSecurityGroupId": {"Ref": "ServiceSecurityGroup"},
                "Description": "NFS from the ECS service's tasks",
            }),
        )
        .when("HasEfsSecurityGroup")
        .note(
            "The EFS file system's mount targets admit the tasks (NFS), when their group is given.",
        ),
    );
}
