//! The metrics a function emits (`AWS/Lambda`, by function name).

use crate::cloudwatch::{Metric, Statistic};

use super::Function;

impl Function {
    /// A metric of this function in `AWS/Lambda` (`Average` over 5 minutes).
    ///
    /// ```
    /// use formwork::App;
    /// use formwork::lambda::{Code, Function, FunctionProps, Runtime};
    /// let app = App::new();
    /// let stack = app.stack("Api")?;
    /// let f = Function::new(&stack, "Handler", FunctionProps::new(Code::inline("exports.handler = async () => 1;")).runtime(Runtime::Nodejs24X).handler("index.handler"))?;
    /// assert_eq!(f.metric_errors().metric_name(), "Errors");
    /// assert_eq!(f.metric_duration().get_statistic().as_str(), "p95");
    /// # Ok::<(), formwork::Error>(())
    /// ```
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/Lambda", name).dimension("FunctionName", self.function_name())
    }

    /// Invocations that ended in an error (`Sum`).
    pub fn metric_errors(&self) -> Metric {
        self.metric("Errors").statistic(Statistic::Sum)
    }

    /// Invocations (`Sum`).
    pub fn metric_invocations(&self) -> Metric {
        self.metric("Invocations").statistic(Statistic::Sum)
    }

    /// Invocations refused for lack of concurrency (`Sum`).
    pub fn metric_throttles(&self) -> Metric {
        self.metric("Throttles").statistic(Statistic::Sum)
    }

    /// How long invocations take, in milliseconds (`p95`).
    pub fn metric_duration(&self) -> Metric {
        self.metric("Duration")
            .statistic(Statistic::Extended("p95".into()))
            .unit("Milliseconds")
    }
}
