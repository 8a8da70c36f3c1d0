//! Tests of the template writer against the renderer templates were written
//! with before it.

mod reference;
mod tags_check;
mod writer;
