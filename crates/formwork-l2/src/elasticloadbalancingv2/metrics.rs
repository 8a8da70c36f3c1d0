//! The metrics a target group emits behind a load balancer
//! (`AWS/ApplicationELB`, by target group and load balancer).

use crate::cloudwatch::{Metric, Statistic};

use super::{ApplicationLoadBalancer, ApplicationTargetGroup};

impl ApplicationTargetGroup {
    /// A metric of this target group behind `load_balancer`.
    pub fn metric(&self, load_balancer: &ApplicationLoadBalancer, name: &str) -> Metric {
        Metric::new("AWS/ApplicationELB", name)
            .dimension("TargetGroup", self.target_group_full_name())
            .dimension("LoadBalancer", load_balancer.load_balancer_full_name())
    }

    /// How long targets take to answer, in seconds (`p95`).
    pub fn metric_target_response_time(&self, load_balancer: &ApplicationLoadBalancer) -> Metric {
        self.metric(load_balancer, "TargetResponseTime")
            .statistic(Statistic::Extended("p95".into()))
    }

    /// Answers with a 5xx status from the targets (`Sum`).
    pub fn metric_http_code_target_5xx(&self, load_balancer: &ApplicationLoadBalancer) -> Metric {
        self.metric(load_balancer, "HTTPCode_Target_5XX_Count")
            .statistic(Statistic::Sum)
    }

    /// Requests the targets received (`Sum`).
    pub fn metric_request_count(&self, load_balancer: &ApplicationLoadBalancer) -> Metric {
        self.metric(load_balancer, "RequestCount")
            .statistic(Statistic::Sum)
    }
}
