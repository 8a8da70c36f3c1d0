//! LogDriver: where a container's output goes.

use formwork_core::typed::Str;
use formwork_core::{Diagnostic, Pseudo, Result, Scope, Value};
use formwork_l1::ecs::task_definition;

use super::codes;
use crate::iam::Role;
use crate::logs::{LogGroup, LogGroupProps};

/// The log drivers Fargate tasks can use.
const FARGATE_DRIVERS: [&str; 3] = ["awslogs", "splunk", "awsfirelens"];

/// How the `awslogs` driver delivers events when CloudWatch Logs is slow.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum LogMode {
    /// `blocking` (the default): the application waits; no event is lost.
    #[default]
    Blocking,
    /// `non-blocking`: events go through a buffer of this many bytes
    /// (`max-buffer-size`, Docker's default 1 MiB when `None`); when it is
    /// full, events are dropped instead of stalling the application.
    NonBlocking(Option<u32>),
}

#[derive(Clone, Debug)]
pub(crate) enum LogTarget {
    /// A log group made for the container, with these props.
    Create(LogGroupProps),
    /// An existing log group.
    Existing(LogGroup),
}

#[derive(Clone, Debug)]
enum Driver {
    AwsLogs {
        stream_prefix: String,
        target: LogTarget,
        mode: LogMode,
    },
    Other {
        driver: String,
        options: Vec<(String, Str)>,
    },
}

/// A container's log configuration.
///
/// [`LogDriver::aws_logs`] sends the output to CloudWatch Logs (the
/// `awslogs` driver), into a log group made for the container at
/// `<task definition>/<Container>/LogGroup` (with the logs module's
/// defaults: retained, never expiring) or, with
/// [`LogDriver::aws_logs_with`], with the name, retention and removal
/// policy you choose; [`LogDriver::aws_logs_to`] uses an existing group.
/// Streams are named `<prefix>/<container name>/<task id>`. The task's
/// execution role gets `logs:CreateLogStream` and `logs:PutLogEvents` on
/// that group only.
///
/// ```
/// use formwork::ecs::{LogDriver, LogMode};
/// use formwork::logs::{LogGroupProps, Retention};
/// let logs = LogDriver::aws_logs_with(
///     "ecs",
///     LogGroupProps::new().log_group_name("/ecs/weather-comment-generator").retention(Retention::OneMonth),
/// )
/// .mode(LogMode::NonBlocking(Some(25 * 1024 * 1024)));
/// # let _ = logs;
/// ```
#[derive(Clone, Debug)]
pub struct LogDriver {
    driver: Driver,
}

/// What adding a log configuration made: the L1 value, and the group it
/// writes to (for `awslogs`).
pub(crate) struct Applied {
    pub(crate) configuration: task_definition::LogConfiguration,
    pub(crate) group: Option<LogGroup>,
}

impl LogDriver {
    /// `awslogs` into a log group made for the container (logs module
    /// defaults), with streams `<stream_prefix>/<container>/<task id>`.
    pub fn aws_logs(stream_prefix: impl Into<String>) -> LogDriver {
        LogDriver::aws_logs_with(stream_prefix, LogGroupProps::new())
    }

    /// `awslogs` into a log group made for the container with `props`
    /// (its name, retention, removal policy).
    pub fn aws_logs_with(stream_prefix: impl Into<String>, props: LogGroupProps) -> LogDriver {
        LogDriver {
            driver: Driver::AwsLogs {
                stream_prefix: stream_prefix.into(),
                target: LogTarget::Create(props),
                mode: LogMode::Blocking,
            },
        }
    }

    /// `awslogs` into an existing log group.
    pub fn aws_logs_to(group: &LogGroup, stream_prefix: impl Into<String>) -> LogDriver {
        LogDriver {
            driver: Driver::AwsLogs {
                stream_prefix: stream_prefix.into(),
                target: LogTarget::Existing(group.clone()),
                mode: LogMode::Blocking,
            },
        }
    }

    /// Another log driver Fargate runs (`splunk`, `awsfirelens`) with its
    /// options, written as given; no permissions are added for it. Fargate
    /// runs no other driver (`FW3216`).
    pub fn generic<K: Into<String>, V: Into<Str>>(
        driver: impl Into<String>,
        options: impl IntoIterator<Item = (K, V)>,
    ) -> LogDriver {
        LogDriver {
            driver: Driver::Other {
                driver: driver.into(),
                options: options
                    .into_iter()
                    .map(|(k, v)| (k.into(), v.into()))
                    .collect(),
            },
        }
    }

    /// The delivery mode of an `awslogs` driver (default blocking; no
    /// effect on other drivers).
    pub fn mode(mut self, mode: LogMode) -> LogDriver {
        if let Driver::AwsLogs { mode: m, .. } = &mut self.driver {
            *m = mode;
        }
        self
    }

    /// Makes the log configuration for the container at `node`: creates
    /// the log group when asked, lets `execution_role` write to it.
    #[track_caller]
    pub(crate) fn apply(
        &self,
        node: &Scope,
        execution_role: impl FnOnce() -> Result<Role>,
    ) -> Result<Applied> {
        match &self.driver {
            Driver::Other { driver, options } => {
                if !FARGATE_DRIVERS.contains(&driver.as_str()) {
                    node.report(
                        Diagnostic::error(
                            codes::LOG_DRIVER,
                            node.path(),
                            format!(
                                "Fargate does not run the log driver `{driver}`; allowed: {}",
                                FARGATE_DRIVERS.join(", ")
                            ),
                        )
                        .property("LogConfiguration.LogDriver")
                        .fix("send logs to another destination through FireLens (`awsfirelens`)"),
                    );
                }
                let mut c = task_definition::LogConfiguration::new().log_driver(driver.as_str());
                if !options.is_empty() {
                    c = c.options(options.iter().map(|(k, v)| (k.as_str(), v.clone())));
                }
                Ok(Applied {
                    configuration: c,
                    group: None,
                })
            }
            Driver::AwsLogs {
                stream_prefix,
                target,
                mode,
            } => {
                if stream_prefix.is_empty() || stream_prefix.contains([':', '*']) {
                    node.report(
                        Diagnostic::error(
                            codes::LOG_STREAM_PREFIX,
                            node.path(),
                            format!(
                                "stream prefix `{stream_prefix}` is empty or has `:` or `*`, which CloudWatch Logs refuses in stream names"
                            ),
                        )
                        .property("LogConfiguration.Options.awslogs-stream-prefix")
                        .fix("use a short word such as `ecs` or the service name"),
                    );
                }
                let group = match target {
                    LogTarget::Create(props) => LogGroup::new(node, "LogGroup", props.clone())?,
                    LogTarget::Existing(g) => g.clone(),
                };
                group.grant_write(&execution_role()?)?;
                let mut options: Vec<(&str, Value)> = vec![
                    ("awslogs-group", group.name().into()),
                    ("awslogs-region", Pseudo::Region.into()),
                    ("awslogs-stream-prefix", Value::from(stream_prefix.as_str())),
                ];
                if let LogMode::NonBlocking(size) = mode {
                    options.push(("mode", Value::from("non-blocking")));
                    if let Some(bytes) = size {
                        options.push(("max-buffer-size", Value::from(format!("{bytes}b"))));
                    }
                }
                let configuration = task_definition::LogConfiguration::new()
                    .log_driver("awslogs")
                    .options(options.into_iter().map(|(k, v)| (k, value_str(v))));
                Ok(Applied {
                    configuration,
                    group: Some(group),
                })
            }
        }
    }
}

fn value_str(v: Value) -> Str {
    match v {
        Value::Expr(e) => Str::from(e),
        Value::String(s) => Str::from(s),
        other => Str::from(formwork_core::Fn::concat([other])),
    }
}
