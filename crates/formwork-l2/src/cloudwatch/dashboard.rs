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

/// The body being written: literal text, with the values known at deploy
/// time (the region, a dimension's reference) between its pieces. Built
/// with `push_str` rather than `format!` (whose machinery costs about a
/// thousand instructions a call in a debug build).
struct Body {
    parts: Vec<Value>,
    text: String,
}

impl Body {
    fn text(&mut self, s: &str) -> &mut Self {
        self.text.push_str(s);
        self
    }

    /// `s` as a JSON string literal.
    fn string(&mut self, s: &str) -> &mut Self {
        self.text.push('"');
        json_text::push_escaped(&mut self.text, s);
        self.text.push('"');
        self
    }

    fn number(&mut self, n: u32) -> &mut Self {
        self.text.push_str(&n.to_string());
        self
    }

    /// A value known at deploy time, in the text as it is.
    fn value(&mut self, v: Value) -> &mut Self {
        if !self.text.is_empty() {
            self.parts.push(Value::from(std::mem::take(&mut self.text)));
        }
        self.parts.push(v);
        self
    }

    /// A dimension's value as a JSON string: a literal escaped, a reference
    /// between quotes.
    fn dimension(&mut self, v: &Value) -> &mut Self {
        match v {
            Value::String(s) => self.string(s),
            other => self.text("\"").value(other.clone()).text("\""),
        }
    }

    fn finish(mut self) -> Vec<Value> {
        if !self.text.is_empty() {
            self.parts.push(Value::from(self.text));
        }
        self.parts
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
        let mut b = Body {
            parts: Vec::new(),
            text: String::from("{\"widgets\":["),
        };
        let (mut x, mut y) = (0u32, 0u32);
        for (i, g) in graphs.into_iter().enumerate() {
            if x + g.width > 24 {
                x = 0;
                y += 6;
            }
            if i > 0 {
                b.text(",");
            }
            b.text("{\"type\":\"metric\",\"x\":")
                .number(x)
                .text(",\"y\":")
                .number(y)
                .text(",\"width\":")
                .number(g.width)
                .text(",\"height\":6,\"properties\":{\"title\":")
                .string(&g.title)
                .text(",\"view\":\"timeSeries\",\"region\":\"")
                .value(Pseudo::Region.into())
                .text("\",\"metrics\":[");
            for (j, m) in g.metrics.iter().enumerate() {
                if j > 0 {
                    b.text(",");
                }
                b.text("[")
                    .string(m.namespace())
                    .text(",")
                    .string(m.metric_name());
                for (k, v) in m.dimensions() {
                    b.text(",").string(k).text(",").dimension(v);
                }
                b.text(",{\"stat\":")
                    .string(m.get_statistic().as_str())
                    .text(",\"period\":")
                    .number(m.get_period_seconds())
                    .text("}]");
            }
            b.text("]}}");
            x += g.width;
        }
        b.text("]}");
        let cfn = scope.add(
            id,
            CfnDashboard::new()
                .dashboard_name(name)
                .dashboard_body(Fn::concat(b.finish())),
        )?;
        Ok(Dashboard { cfn })
    }

    /// The L1 resource.
    pub fn cfn(&self) -> &CfnDashboardRef {
        &self.cfn
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use formwork_core::App;

    #[test]
    fn the_body_is_json_with_literals_escaped_and_references_in_place() {
        let app = App::new();
        let s = app.stack("Ops").unwrap();
        let graph = |title: &str| {
            Graph::new(title).metric(
                Metric::new("App", "Errors")
                    .dimension("Stage", "say \"prod\"\n")
                    .dimension("Queue", Value::from(Pseudo::StackName)),
            )
        };
        Dashboard::new(&s, "D", "ops", [graph("A \"quoted\" title"), graph("B")]).unwrap();
        let t = app.synth().unwrap().template_json("Ops").unwrap();
        let sub = t["Resources"]["D"]["Properties"]["DashboardBody"]["Fn::Sub"]
            .as_str()
            .expect("a Fn::Sub")
            .to_owned();
        // The deploy-time values, as CloudFormation substitutes them.
        let text = sub
            .replace("${AWS::Region}", "eu-west-1")
            .replace("${AWS::StackName}", "Ops");
        let body: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let widgets = body["widgets"].as_array().expect("widgets");
        assert_eq!(widgets.len(), 2);
        assert_eq!(widgets[1]["x"], 12);
        let p = &widgets[0]["properties"];
        assert_eq!(p["title"], "A \"quoted\" title");
        assert_eq!(p["region"], "eu-west-1");
        assert_eq!(
            p["metrics"][0],
            serde_json::json!(["App", "Errors", "Stage", "say \"prod\"\n", "Queue", "Ops", {"stat": "Average", "period": 300}])
        );
    }
}
