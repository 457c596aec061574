//! pii_tagger's engine, with no Python in it: rule files compiled into a rule
//! set, field names, value scanning, validators, actions, the walk, and log
//! lines read and checked.
//! `pii-python` drives it from Python.

pub mod act;
mod clean;
pub mod engine;
pub mod eventtime;
pub mod json;
pub mod linecheck;
pub mod lines;
pub mod logquery;
pub mod logstats;
pub mod names;
pub mod person_names;
pub mod rules;
pub mod scan;
pub mod starts;
pub mod tagged;
pub mod text;
pub mod tree;
pub mod url;
pub mod validate;
