//! The formwork engine: apps, stacks and construct scopes; the template value
//! model and typed intrinsic functions; references that become exports across
//! stacks; synth-time validation against the CloudFormation schemas; and
//! synthesis to `formwork.out/`.
//!
//! It knows no AWS service: resource types come from the generated L1 crate,
//! constructs from the L2 crate. Users depend on the `formwork` crate, which
//! re-exports this one.
//!
//! ```
//! use formwork::{App, Fn, Output, Pseudo};
//! let app = App::new();
//! let stack = app.stack("Hello")?;
//! # stack.add("Thing", formwork::ssm::CfnParameter::new().type_(formwork::ssm::parameter::Type::String).value("v"))?;
//! stack.add_output("Where", Output::new(Fn::join("/", [Pseudo::Region, Pseudo::AccountId])))?;
//! let assembly = app.synth()?;
//! assert_eq!(assembly.stacks.len(), 1);
//! # Ok::<(), formwork::Error>(())
//! ```
#![deny(missing_docs)]

mod app;
pub mod assertions;
pub mod asset;
#[cfg(feature = "config")]
pub mod config;
pub mod diag;
mod env;
mod error;
mod expr;
pub mod fasthash;
pub mod json_text;
pub use formwork_kernels::pattern;
pub mod props;
mod resource;
pub mod rules;
pub mod spec;
mod stack;
mod suggest;
pub mod synth;
mod template_parts;
#[cfg(test)]
use formwork_kernels::test_rng;
#[doc(hidden)]
pub mod testing;
pub mod typed;
mod value;
pub mod value_map;

pub use app::{App, validate_stack_name};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use env::{Context, Environment};
pub use error::{Error, Result};
pub use expr::{Dynamic, Expr, Fn, Intrinsic, Pseudo, StackId, SubPart, Target};
pub use resource::{RemovalPolicy, Resource, ResourceRef};
pub use stack::{Scope, Stack, logical_id_for_path};
pub use synth::{Assembly, AssetArtifact, StackArtifact, SynthOptions};
pub use template_parts::{
    ConditionRef, Mapping, MappingRef, Output, Parameter, ParameterRef, ParameterType,
};
pub use value::{Value, ValueMap};

#[doc(hidden)]
pub use resource::sealed;
