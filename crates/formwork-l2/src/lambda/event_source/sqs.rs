//! SqsEventSource: a function polling a queue through an event source
//! mapping, with the batch rules SQS and Lambda enforce.

use formwork_core::{Result, Value};
use formwork_l1::lambda::{CfnEventSourceMapping, event_source_mapping};

use super::{EventSource, event_source_codes as codes, mapping_id, range, report};
use crate::iam::{self, GrantSpec};
use crate::lambda::Function;
use crate::sqs::Queue;

/// What the function's role gets on the queue: exactly what polling needs.
const POLL: &[&str] = &[
    "sqs:ReceiveMessage",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
];
const POLL_KMS: &[&str] = &["kms:Decrypt"];

/// A queue whose messages call a function in batches
/// (`AWS::Lambda::EventSourceMapping` at `<function>/<queue>EventSource`).
///
/// The function's role gets `sqs:ReceiveMessage`, `sqs:DeleteMessage` and
/// `sqs:GetQueueAttributes` on the queue, and `kms:Decrypt` on its
/// customer managed key if it has one. Defaults: Lambda's (batches of 10,
/// no batching window, enabled), no partial batch responses.
///
/// Checked at synth: the batch size (1 to 10 for FIFO, 1 to 10000
/// otherwise), the batching window (0 to 300 s, none for FIFO, at least 1 s
/// for batches over 10), maximum concurrency (2 to 1000), and a queue
/// visibility timeout at least the function's timeout.
///
/// ```
/// use formwork::App;
/// use formwork::lambda::{Code, Function, FunctionProps, Runtime, SqsEventSource};
/// use formwork::sqs::{Queue, QueueProps};
/// let app = App::new();
/// let stack = app.stack("Jobs")?;
/// let jobs = Queue::new(&stack, "Jobs", QueueProps::new().visibility_timeout_seconds(60))?;
/// let worker = Function::new(&stack, "Worker", FunctionProps::new(Code::inline("def handler(e, c):\n    return {'batchItemFailures': []}\n")).runtime(Runtime::Python313).handler("index.handler").timeout_secs(30))?;
/// worker.add_event_source(&SqsEventSource::new(&jobs).batch_size(100).max_batching_window_secs(5).report_batch_item_failures(true))?;
/// let t = app.synth()?.template_json("Jobs").ok_or("no template")?;
/// assert_eq!(t["Resources"]["WorkerJobsEventSource"]["Properties"]["BatchSize"], 100);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct SqsEventSource {
    queue: Queue,
    batch_size: Option<u32>,
    window: Option<u32>,
    report_failures: bool,
    max_concurrency: Option<u32>,
    enabled: bool,
}

impl SqsEventSource {
    /// Messages of `queue`, with Lambda's defaults.
    pub fn new(queue: &Queue) -> Self {
        SqsEventSource {
            queue: queue.clone(),
            batch_size: None,
            window: None,
            report_failures: false,
            max_concurrency: None,
            enabled: true,
        }
    }
    /// Messages per call (default 10).
    pub fn batch_size(mut self, n: u32) -> Self {
        self.batch_size = Some(n);
        self
    }
    /// How long to gather a batch (0 to 300 s; not for FIFO queues).
    pub fn max_batching_window_secs(mut self, s: u32) -> Self {
        self.window = Some(s);
        self
    }
    /// The function reports the messages that failed
    /// (`batchItemFailures`), so only those return to the queue.
    pub fn report_batch_item_failures(mut self, on: bool) -> Self {
        self.report_failures = on;
        self
    }
    /// At most this many concurrent calls from this queue (2 to 1000).
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = Some(n);
        self
    }
    /// Whether the mapping polls (yes by default).
    pub fn enabled(mut self, on: bool) -> Self {
        self.enabled = on;
        self
    }
}

impl EventSource for SqsEventSource {
    fn bind(&self, function: &Function) -> Result<()> {
        let q = &self.queue;
        let fifo = q.is_fifo();
        let max = if fifo { 10 } else { 10_000 };
        if let Some(n) = self.batch_size.filter(|n| !(1..=max).contains(n)) {
            let kind = if fifo { "FIFO" } else { "standard" };
            report(
                function,
                codes::BATCH_SIZE,
                "EventSourceMapping.BatchSize",
                format!(
                    "a batch size of {n} for the {kind} queue {}; allowed: 1 to {max}",
                    q.scope().path()
                ),
                None,
            );
        }
        if fifo && self.window.is_some() {
            report(
                function,
                codes::BATCHING_WINDOW,
                "EventSourceMapping.MaximumBatchingWindowInSeconds",
                format!(
                    "a batching window for the FIFO queue {}, which Lambda does not batch by time",
                    q.scope().path()
                ),
                Some("remove max_batching_window_secs"),
            );
        }
        if let Some(w) = self.window.filter(|w| *w > 300) {
            report(
                function,
                codes::BATCHING_WINDOW,
                "EventSourceMapping.MaximumBatchingWindowInSeconds",
                format!("a batching window of {w} s is out of range; allowed: 0 to 300"),
                None,
            );
        }
        if !fifo && self.batch_size.is_some_and(|n| n > 10) && self.window.unwrap_or(0) < 1 {
            report(
                function,
                codes::BATCHING_WINDOW,
                "EventSourceMapping.MaximumBatchingWindowInSeconds",
                "a batch size over 10 without a batching window; Lambda requires at least 1 s"
                    .to_owned(),
                Some("set max_batching_window_secs to 1 or more"),
            );
        }
        range(
            function,
            "EventSourceMapping.ScalingConfig.MaximumConcurrency",
            "a maximum concurrency",
            self.max_concurrency,
            2,
            1000,
        );
        if q.cfn().is_some() && q.visibility_timeout_seconds() < function.timeout_secs() {
            report(
                function,
                codes::VISIBILITY_TIMEOUT,
                "EventSourceMapping.EventSourceArn",
                format!(
                    "the queue {} has a visibility timeout of {} s, shorter than the function's timeout of {} s; Lambda refuses the mapping",
                    q.scope().path(),
                    q.visibility_timeout_seconds(),
                    function.timeout_secs()
                ),
                Some(
                    "give the queue a visibility timeout of at least the function's timeout (AWS suggests six times it)",
                ),
            );
        }
        let mut specs = vec![GrantSpec {
            actions: POLL,
            arn: 0,
        }];
        let mut arns = vec![Value::from(q.arn())];
        if let Some(k) = q.encryption_key() {
            specs.push(GrantSpec {
                actions: POLL_KMS,
                arn: 1,
            });
            arns.push(k.key_arn().into_value());
        }
        iam::grant_or_report(q.scope(), function, &specs, &arns);
        let mut cfn = CfnEventSourceMapping::new()
            .function_name(function.function_name())
            .event_source_arn(q.arn());
        if let Some(n) = self.batch_size {
            cfn = cfn.batch_size(n);
        }
        if let Some(w) = self.window {
            cfn = cfn.maximum_batching_window_in_seconds(w);
        }
        if self.report_failures {
            cfn = cfn.function_response_types([
                event_source_mapping::FunctionResponseTypes::ReportBatchItemFailures,
            ]);
        }
        if let Some(n) = self.max_concurrency {
            cfn = cfn
                .scaling_config(event_source_mapping::ScalingConfig::new().maximum_concurrency(n));
        }
        if !self.enabled {
            cfn = cfn.enabled(false);
        }
        function.scope().add(&mapping_id(q.scope()), cfn)?;
        Ok(())
    }
}
