//! A read-only view of a stack during synth, with its logical id table.

use crate::fasthash::FastMap;
use std::cell::Ref;

use crate::diag::{Diagnostic, codes};
use crate::stack::StackData;

/// One stack, borrowed for the length of a synth.
pub(crate) struct StackView<'a> {
    pub(crate) name: &'a str,
    pub(crate) data: Ref<'a, StackData>,
    /// Logical id → resource index (`Some`) or parameter (`None`).
    pub(crate) logical_ids: FastMap<String, Option<usize>>,
}

impl<'a> StackView<'a> {
    pub(crate) fn new(
        name: &'a str,
        data: Ref<'a, StackData>,
        diags: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut logical_ids: FastMap<String, Option<usize>> = FastMap::with_capacity_and_hasher(
            data.resources.len() + data.parameters.len(),
            Default::default(),
        );
        // The path of what had a logical id before (a resource or a parameter).
        let owner = |prev: Option<usize>, id: &str| match prev {
            Some(i) => format!("{name}/{}", data.resources[i].path),
            None => format!("{name}/{id} (parameter)"),
        };
        for (i, e) in data.resources.iter().enumerate() {
            let path = || format!("{name}/{}", e.path);
            check_logical_id(&e.logical_id, path, diags);
            if let Some(prev) = logical_ids.insert(e.logical_id.clone(), Some(i)) {
                diags.push(
                    Diagnostic::error(
                        codes::LOGICAL_ID_COLLISION,
                        path(),
                        format!(
                            "logical id `{}` is also the id of {}",
                            e.logical_id,
                            owner(prev, &e.logical_id)
                        ),
                    )
                    .fix("rename one construct, or pin a logical id with `override_logical_id`"),
                );
            }
        }
        for p in data.parameters.keys() {
            if let Some(prev) = logical_ids.insert(p.clone(), None) {
                diags.push(Diagnostic::error(
                    codes::LOGICAL_ID_COLLISION,
                    format!("{name}/{p} (parameter)"),
                    format!("parameter `{p}` has the logical id of {}", owner(prev, p)),
                ));
            }
        }
        StackView {
            name,
            data,
            logical_ids,
        }
    }

    /// The construct path of one of the stack's resources
    /// (`Stack/Construct/Resource`), written into `out`.
    pub(crate) fn path_into(&self, e: &crate::resource::ResourceEntry, out: &mut String) {
        out.clear();
        out.push_str(self.name);
        out.push('/');
        out.push_str(&e.path);
    }

    /// A logical id close to `name` (a near-miss or a case difference), for hints.
    pub(crate) fn closest_logical_id(&self, name: &str) -> Option<String> {
        let mut ids: Vec<&String> = self.logical_ids.keys().collect();
        ids.sort();
        crate::suggest::closest(name, ids.into_iter().map(String::as_str)).map(str::to_owned)
    }
}

fn check_logical_id(id: &str, path: impl FnOnce() -> String, diags: &mut Vec<Diagnostic>) {
    if id.is_empty() || id.len() > 255 || !formwork_kernels::is_alphanumeric(id) {
        diags.push(Diagnostic::error(
            codes::LOGICAL_ID,
            path(),
            format!("logical id `{id}` must be 1 to 255 ASCII letters and digits"),
        ));
    }
}
