//! Dashboard: graphs of metrics on a CloudWatch dashboard.

use formwork_core::{Fn, Pseudo, Result, Scope, Value, json_text};
use formwork_l1::cloudwatch::{CfnDashboard, CfnDashboardRef};

use super::metric::Metric;

/// A graph: a title and the metrics it plots.
#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    title: String,
    metrics: Vec<Metric>,
    width: u32,
}

impl Graph {
    /// A graph, half the dashboard wide.
    pub fn new(title: impl Into<String>) -> Self {
        Graph {
            title: title.into(),
            metrics: Vec::new(),
            width: 12,
        }
    }

    /// Plots a metric.
    pub fn metric(mut self, m: Metric) -> Self {
        self.metrics.push(m);
        self
    }

    /// Its width in grid units (1 to 24).
    pub fn width(mut self, w: u32) -> Self {
        self.width = w.clamp(1, 24);
        self
    }
}

/// A CloudWatch dashboard; its body is written as a JSON string with the
/// references (function names, the region) joined in.
///
/// ```
/// use formwork::App;
/// use formwork::cloudwatch::{Dashboard, Graph, Metric};
/// let app = App::new();
/// let stack = app.stack("Ops")?;
/// Dashboard::new(&stack, "Dashboard", "weather", [Graph::new("CPU").metric(Metric::new("AWS/ECS", "CPUUtilization"))])?;
/// let t = app.synth()?.template_json("Ops").ok_or("no template")?;
/// assert_eq!(t["Resources"]["Dashboard"]["Properties"]["DashboardName"], "weather");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Dashboard {
    cfn: CfnDashboardRef,
}

fn quoted(v: &Value) -> Vec<Value> {
    match v {
        Value::String(s) => vec![Value::from(json_text::quoted(s))],
        other => vec![Value::from("\""), other.clone(), Value::from("\"")],
    }
}

impl Dashboard {
    /// Adds a dashboard named `name` with the graphs, two to a row.
    pub fn new(
        scope: &Scope,
        id: &str,
        name: &str,
        graphs: impl IntoIterator<Item = Graph>,
    ) -> Result<Dashboard> {
        let mut parts: Vec<Value> = vec![Value::from("{\"widgets\":[")];
        let (mut x, mut y) = (0u32, 0u32);
        for (i, g) in graphs.into_iter().enumerate() {
            if x + g.width > 24 {
                x = 0;
                y += 6;
            }
            if i > 0 {
                parts.push(Value::from(","));
            }
            parts.push(Value::from(format!(
                "{{\"type\":\"metric\",\"x\":{x},\"y\":{y},\"width\":{},\"height\":6,\"properties\":{{\"title\":{},\"view\":\"timeSeries\",\"region\":\"",
                g.width,
                json_text::quoted(g.title.as_str())
            )));
            parts.push(Pseudo::Region.into());
            parts.push(Value::from("\",\"metrics\":["));
            for (j, m) in g.metrics.iter().enumerate() {
                if j > 0 {
                    parts.push(Value::from(","));
                }
                parts.push(Value::from(format!(
                    "[{},{}",
                    json_text::quoted(m.namespace()),
                    json_text::quoted(m.metric_name())
                )));
                for (k, v) in m.dimensions() {
                    parts.push(Value::from(format!(",{},", json_text::quoted(k.as_str()))));
                    parts.extend(quoted(v));
                }
                parts.push(Value::from(format!(
                    ",{{\"stat\":{},\"period\":{}}}]",
                    json_text::quoted(m.get_statistic().as_str()),
                    m.get_period_seconds()
                )));
            }
            parts.push(Value::from("]}}"));
            x += g.width;
        }
        parts.push(Value::from("]}"));
        let cfn = scope.add(
            id,
            CfnDashboard::new()
                .dashboard_name(name)
                .dashboard_body(Fn::concat(parts)),
        )?;
        Ok(Dashboard { cfn })
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnDashboardRef {
        &self.cfn
    }
}
