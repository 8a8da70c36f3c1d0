//! A read-only view of a stack during synth, with its logical id table.

use std::cell::Ref;
use std::collections::HashMap;

use crate::diag::{Diagnostic, codes};
use crate::stack::StackData;

/// One stack, borrowed for the length of a synth.
pub(crate) struct StackView<'a> {
    pub(crate) name: &'a str,
    pub(crate) data: Ref<'a, StackData>,
    /// Logical id → resource index (`Some`) or parameter (`None`).
    pub(crate) logical_ids: HashMap<String, Option<usize>>,
}

impl<'a> StackView<'a> {
    pub(crate) fn new(
        name: &'a str,
        data: Ref<'a, StackData>,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut logical_ids = HashMap::new();
        let mut owner: HashMap<String, String> = HashMap::new();
        for (i, e) in data.resources.iter().enumerate() {
            let path = format!("{name}/{}", e.path);
            check_logical_id(&e.logical_id, &path, diags);
            if let Some(prev) = owner.insert(e.logical_id.clone(), path.clone()) {
                diags.push(
                    Diagnostic::error(
                        codes::LOGICAL_ID_COLLISION,
                        path.clone(),
                        format!("logical id `{}` is also the id of {prev}", e.logical_id),
                    )
                    .fix("rename one construct, or pin a logical id with `override_logical_id`"),
                );
            }
            logical_ids.insert(e.logical_id.clone(), Some(i));
        }
        for p in data.parameters.keys() {
            let path = format!("{name}/{p} (parameter)");
            if let Some(prev) = owner.insert(p.clone(), path.clone()) {
                diags.push(Diagnostic::error(
                    codes::LOGICAL_ID_COLLISION,
                    path,
                    format!("parameter `{p}` has the logical id of {prev}"),
                ));
            }
            logical_ids.insert(p.clone(), None);
        }
        StackView {
            name,
            data,
            logical_ids,
        }
    }

    /// A logical id close to `name` (a near-miss or a case difference), for hints.
    pub(crate) fn closest_logical_id(&self, name: &str) -> Option<String> {
        let mut ids: Vec<&String> = self.logical_ids.keys().collect();
        ids.sort();
        crate::suggest::closest(name, ids.into_iter().map(String::as_str)).map(str::to_owned)
    }
}

fn check_logical_id(id: &str, path: &str, diags: &mut Vec<Diagnostic>) {
    if id.is_empty() || id.len() > 255 || !id.chars().all(|c| c.is_ascii_alphanumeric()) {
        diags.push(Diagnostic::error(
            codes::LOGICAL_ID,
            path,
            format!("logical id `{id}` must be 1 to 255 ASCII letters and digits"),
        ));
    }
}
