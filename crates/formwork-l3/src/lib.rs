//! formwork's L3 layer: patterns a user reaches for first, each wiring several
//! L2 constructs with every part reachable for changes. Each pattern is
//! behind a cargo feature of its name.
#![deny(missing_docs)]

#[cfg(feature = "bucket-deployment")]
pub mod bucket_deployment;
#[cfg(feature = "load-balanced-fargate")]
pub mod load_balanced_fargate;
#[cfg(feature = "static-site")]
pub mod static_site;
