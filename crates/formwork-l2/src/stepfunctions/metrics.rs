//! The metrics a state machine emits (`AWS/States`, by state machine ARN).

use crate::cloudwatch::{Metric, Statistic};

use super::StateMachine;

impl StateMachine {
    /// A metric of this state machine in `AWS/States`.
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/States", name).dimension("StateMachineArn", self.arn())
    }

    /// Executions that failed (`Sum`).
    pub fn metric_executions_failed(&self) -> Metric {
        self.metric("ExecutionsFailed").statistic(Statistic::Sum)
    }

    /// Executions that timed out (`Sum`).
    pub fn metric_executions_timed_out(&self) -> Metric {
        self.metric("ExecutionsTimedOut").statistic(Statistic::Sum)
    }
}
