//! Usage assumptions and the budget, declared by the app next to its
//! constructs and recorded in each template's `Metadata` under
//! [`METADATA_KEY`] (never in a resource: the estimate changes nothing that
//! deploys).

use indexmap::IndexMap;

use formwork_core::{App, Stack, Value, ValueMap, logical_id_for_path};

/// The template `Metadata` key that holds the app's cost declarations.
pub const METADATA_KEY: &str = "Formwork::Cost";

/// The key under [`METADATA_KEY`]`.Usage` that applies to every resource of
/// the stack (what a construct declares wins over it).
pub const ALL: &str = "*";

/// Usage assumptions: named quantities a month (`hours`, `tasks`,
/// `requests`, `gb`, …). What each priced type reads, and its default, is
/// listed in [`crate::assumptions`].
///
/// ```
/// use formwork::cost::Usage;
/// let u = Usage::new().hours(744.0).set("lcu", 1.0);
/// assert_eq!(u.get("hours"), Some(744.0));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    values: IndexMap<String, f64>,
}

impl Usage {
    /// No assumption (every default applies).
    pub fn new() -> Self {
        Usage::default()
    }

    /// Hours a month the resource runs (default 730, the average month).
    pub fn hours(self, hours: f64) -> Self {
        self.set("hours", hours)
    }

    /// Any named quantity.
    pub fn set(mut self, key: impl Into<String>, value: f64) -> Self {
        self.values.insert(key.into(), value);
        self
    }

    /// A quantity, if set.
    pub fn get(&self, key: &str) -> Option<f64> {
        self.values.get(key).copied()
    }

    /// Every quantity set, in the order set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.values.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// `self` with what `over` sets replacing it.
    pub fn merged(&self, over: &Usage) -> Usage {
        let mut u = self.clone();
        for (k, v) in over.iter() {
            u.values.insert(k.to_owned(), v);
        }
        u
    }

    pub(crate) fn from_json(v: &serde_json::Value) -> Usage {
        let mut u = Usage::new();
        if let Some(m) = v.as_object() {
            for (k, v) in m {
                if let Some(n) = v.as_f64() {
                    u.values.insert(k.clone(), n);
                }
            }
        }
        u
    }
}

fn update(stack: &Stack, f: impl FnOnce(&mut ValueMap)) {
    let mut root = match stack.metadata(METADATA_KEY) {
        Some(Value::Map(m)) => m,
        _ => ValueMap::default(),
    };
    f(&mut root);
    stack.add_metadata(METADATA_KEY, Value::Map(root));
}

fn put_usage(stack: &Stack, key: String, usage: &Usage) {
    update(stack, |root| {
        let mut all = match root.shift_remove("Usage") {
            Some(Value::Map(m)) => m,
            _ => ValueMap::default(),
        };
        let mut merged = match all.get(&key) {
            Some(Value::Map(m)) => m.clone(),
            _ => ValueMap::default(),
        };
        for (k, v) in usage.iter() {
            merged.insert(k.to_owned(), Value::from(v));
        }
        all.insert(key, Value::Map(merged));
        root.insert("Usage".into(), Value::Map(all));
    });
}

/// Declares usage for the resources of the construct at `path` (relative
/// to the stack, `Api/Handler`): every resource whose logical id starts with
/// the path's logical id. An empty path means the whole stack.
///
/// ```
/// use formwork::App;
/// use formwork::cost::{Usage, assume};
/// let app = App::new();
/// let stack = app.stack("Web")?;
/// # stack.add("Thing", formwork::ssm::CfnParameter::new().type_(formwork::ssm::parameter::Type::String).value("v"))?;
/// assume(&stack, "LoadBalancer", Usage::new().set("lcu", 2.0));
/// let t = app.synth()?.template_json("Web").ok_or("no template")?;
/// assert_eq!(t["Metadata"]["Formwork::Cost"]["Usage"]["LoadBalancer"]["lcu"], 2.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn assume(stack: &Stack, path: &str, usage: Usage) {
    let key = if path.is_empty() {
        ALL.to_owned()
    } else {
        logical_id_for_path(path)
    };
    put_usage(stack, key, &usage);
}

/// Declares usage for every resource of every stack the app has so far
/// (call it after adding the stacks); constructs' own declarations win.
pub fn assume_for_app(app: &App, usage: Usage) {
    for s in app.stacks() {
        put_usage(&s, ALL.to_owned(), &usage);
    }
}

/// Declares the app's monthly budget in USD (recorded on every stack the
/// app has so far: call it after adding them). `cost` shows the gap and
/// `validate --strict` fails when the estimate is over it.
pub fn set_budget(app: &App, monthly_usd: f64) {
    for s in app.stacks() {
        update(&s, |root| {
            root.insert(
                "Budget".into(),
                Value::object([("MonthlyUsd", Value::from(monthly_usd))]),
            );
        });
    }
}
