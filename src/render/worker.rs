//! Compatibility shim: the worker part of the stack moved to the infrastructure model
//! (`crate::infra::stack::worker`); the Terraform printer still imports these from here until
//! it reads the Template.

pub(crate) use crate::infra::stack::worker::{message, WorkerCtx, QUEUE_URL_PATTERN};
