//! Compatibility shim: the schedules part of the stack moved to the infrastructure model
//! (`crate::infra::stack::cron`); the Terraform printer still imports these from here until it
//! reads the Template.

pub(crate) use crate::infra::stack::cron::{CronCtx, JobCtx};
