//! eb2ecs: move an application off AWS Elastic Beanstalk onto Amazon ECS.
//!
//! Pipeline: [`load`] (files or the live EB API) -> [`dockerrun`] / [`settings`] typed inputs ->
//! [`convert`] (one [`model::MigrationModel`] plus findings, pure) -> [`render`] (artefacts) ->
//! [`diff`] / [`output`] (compare with disk, write atomically).

pub mod cli;
pub mod convert;
pub mod detect;
pub mod diff;
pub mod ecs;
pub mod error;
pub mod finding;
pub mod load;
pub mod model;
pub mod output;
pub mod project;
pub mod render;
pub mod support;
