//! The metrics a service emits (`AWS/ECS`, by cluster and service name).

use crate::cloudwatch::{Metric, Statistic};

use super::FargateService;

impl FargateService {
    /// A metric of this service in `AWS/ECS`.
    pub fn metric(&self, name: &str) -> Metric {
        Metric::new("AWS/ECS", name)
            .dimension("ClusterName", self.cluster().cluster_name())
            .dimension("ServiceName", self.service_name())
    }

    /// Average CPU of its tasks, in percent of what they reserve.
    pub fn metric_cpu_utilization(&self) -> Metric {
        self.metric("CPUUtilization").statistic(Statistic::Average)
    }

    /// Average memory of its tasks, in percent of what they reserve.
    pub fn metric_memory_utilization(&self) -> Metric {
        self.metric("MemoryUtilization")
            .statistic(Statistic::Average)
    }

    /// Running tasks (Container Insights, `ECS/ContainerInsights`).
    pub fn metric_running_task_count(&self) -> Metric {
        Metric::new("ECS/ContainerInsights", "RunningTaskCount")
            .dimension("ClusterName", self.cluster().cluster_name())
            .dimension("ServiceName", self.service_name())
            .statistic(Statistic::Average)
    }
}
