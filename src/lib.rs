//! eb2ecs: move an application off AWS Elastic Beanstalk onto Amazon ECS.
//!
//! Pipeline: [`load`] (files or the live EB API, one [`load::Inputs`]) -> [`convert`] (one
//! [`model::MigrationModel`] plus findings, pure) -> [`render`] (artefacts) -> [`plan`] /
//! [`output`] (compare with disk, write atomically). [`cli`] parses the command line and
//! [`app`] acts on it. See docs/ARCHITECTURE.md.

pub mod app;
pub mod assess;
pub mod cfn_types;
pub mod cli;
pub mod clidoc;
pub mod codes;
pub mod convert;
pub mod detect;
pub mod diff;
pub mod ecs;
pub mod error;
pub mod finding;
pub mod infra;
pub mod load;
pub mod model;
pub mod names;
pub mod output;
pub mod plan;
pub mod platforms;
pub mod render;
pub mod sqsd_options;
pub mod support;
pub mod text;
