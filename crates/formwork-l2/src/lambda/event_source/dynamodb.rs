//! DynamoEventSource: a function reading a table's stream through an
//! event source mapping.

use std::time::Duration;

use formwork_core::Result;
use formwork_l1::lambda::{CfnEventSourceMapping, event_source_mapping};

use super::{EventSource, event_source_codes as codes, mapping_id, range, report};
use crate::dynamodb::Table;
use crate::lambda::Function;

/// Where in the stream a new mapping starts reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartingPosition {
    /// The oldest record still in the stream (up to 24 hours back).
    TrimHorizon,
    /// Records written from now on.
    Latest,
}

impl StartingPosition {
    /// The CloudFormation value.
    pub fn as_str(self) -> &'static str {
        match self {
            StartingPosition::TrimHorizon => "TRIM_HORIZON",
            StartingPosition::Latest => "LATEST",
        }
    }
}

/// A table's stream calling a function with batches of changes
/// (`AWS::Lambda::EventSourceMapping` at `<function>/<table>EventSource`).
///
/// The table needs a stream (`TableProps::stream`); one without is error
/// `FW4605` naming the table. The starting position is required. The
/// function's role gets the stream read actions of
/// [`Table::grant_stream_read`] on the stream ARN. Defaults: Lambda's
/// (batches of 100, retries until the record expires).
///
/// ```
/// use formwork::App;
/// use formwork::dynamodb::{Attribute, StreamView, Table, TableProps};
/// use formwork::lambda::{Code, DynamoEventSource, Function, FunctionProps, Runtime, StartingPosition};
/// let app = App::new();
/// let stack = app.stack("Orders")?;
/// let orders = Table::new(&stack, "Orders", TableProps::new(Attribute::string("id")).stream(StreamView::NewAndOldImages))?;
/// let audit = Function::new(&stack, "Audit", FunctionProps::new(Code::inline("def handler(e, c):\n    return None\n")).runtime(Runtime::Python313).handler("index.handler"))?;
/// audit.add_event_source(&DynamoEventSource::new(&orders, StartingPosition::TrimHorizon).batch_size(50).retry_attempts(3).bisect_batch_on_error(true))?;
/// # Ok::<(), formwork::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct DynamoEventSource {
    table: Table,
    start: StartingPosition,
    batch_size: Option<u32>,
    window: Option<u32>,
    retry_attempts: Option<u32>,
    max_record_age: Option<Duration>,
    bisect: bool,
    parallelization: Option<u32>,
    report_failures: bool,
    #[cfg(feature = "sqs")]
    on_failure: Option<crate::sqs::Queue>,
    enabled: bool,
}

impl DynamoEventSource {
    /// The stream of `table`, read from `start`.
    pub fn new(table: &Table, start: StartingPosition) -> Self {
        DynamoEventSource {
            table: table.clone(),
            start,
            batch_size: None,
            window: None,
            retry_attempts: None,
            max_record_age: None,
            bisect: false,
            parallelization: None,
            report_failures: false,
            #[cfg(feature = "sqs")]
            on_failure: None,
            enabled: true,
        }
    }
    /// Records per call (1 to 10000; default 100).
    pub fn batch_size(mut self, n: u32) -> Self {
        self.batch_size = Some(n);
        self
    }
    /// How long to gather a batch (0 to 300 s).
    pub fn max_batching_window_secs(mut self, s: u32) -> Self {
        self.window = Some(s);
        self
    }
    /// Retries of a failing batch (0 to 10000; default: until the record
    /// expires).
    pub fn retry_attempts(mut self, n: u32) -> Self {
        self.retry_attempts = Some(n);
        self
    }
    /// Records older than this are skipped (60 s to 7 days).
    pub fn max_record_age(mut self, age: Duration) -> Self {
        self.max_record_age = Some(age);
        self
    }
    /// Splits a failing batch in two and retries each half.
    pub fn bisect_batch_on_error(mut self, on: bool) -> Self {
        self.bisect = on;
        self
    }
    /// Concurrent batches per shard (1 to 10).
    pub fn parallelization_factor(mut self, n: u32) -> Self {
        self.parallelization = Some(n);
        self
    }
    /// The function reports the records that failed
    /// (`batchItemFailures`).
    pub fn report_batch_item_failures(mut self, on: bool) -> Self {
        self.report_failures = on;
        self
    }
    /// Where to record batches given up on (a standard queue; the
    /// function's role gets `grant_send_messages` on it).
    #[cfg(feature = "sqs")]
    pub fn on_failure(mut self, queue: &crate::sqs::Queue) -> Self {
        self.on_failure = Some(queue.clone());
        self
    }
    /// Whether the mapping reads (yes by default).
    pub fn enabled(mut self, on: bool) -> Self {
        self.enabled = on;
        self
    }
}

impl EventSource for DynamoEventSource {
    fn bind(&self, function: &Function) -> Result<()> {
        let table = &self.table;
        let Some(stream) = table.stream_arn() else {
            report(
                function,
                codes::NO_STREAM,
                "EventSourceMapping.EventSourceArn",
                format!(
                    "a DynamoDB event source on the table {}, which has no stream",
                    table.scope().path()
                ),
                Some(
                    "give the table a stream with TableProps::stream(StreamView::NewAndOldImages)",
                ),
            );
            return Ok(());
        };
        if let Some(n) = self.batch_size.filter(|n| !(1..=10_000).contains(n)) {
            report(
                function,
                codes::BATCH_SIZE,
                "EventSourceMapping.BatchSize",
                format!("a batch size of {n} is out of range; allowed: 1 to 10000"),
                None,
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
        range(
            function,
            "EventSourceMapping.MaximumRetryAttempts",
            "a retry count",
            self.retry_attempts,
            0,
            10_000,
        );
        let age = self.max_record_age.map(|d| d.as_secs());
        range(
            function,
            "EventSourceMapping.MaximumRecordAgeInSeconds",
            "a maximum record age (s)",
            age.map(|a| u32::try_from(a).unwrap_or(u32::MAX)),
            60,
            604_800,
        );
        range(
            function,
            "EventSourceMapping.ParallelizationFactor",
            "a parallelization factor",
            self.parallelization,
            1,
            10,
        );
        table.grant_stream_read(function)?;
        let mut cfn = CfnEventSourceMapping::new()
            .function_name(function.function_name())
            .event_source_arn(stream)
            .starting_position(self.start.as_str());
        if let Some(n) = self.batch_size {
            cfn = cfn.batch_size(n);
        }
        if let Some(w) = self.window {
            cfn = cfn.maximum_batching_window_in_seconds(w);
        }
        if let Some(n) = self.retry_attempts {
            cfn = cfn.maximum_retry_attempts(n);
        }
        if let Some(a) = age {
            cfn = cfn.maximum_record_age_in_seconds(a);
        }
        if self.bisect {
            cfn = cfn.bisect_batch_on_function_error(true);
        }
        if let Some(n) = self.parallelization {
            cfn = cfn.parallelization_factor(n);
        }
        if self.report_failures {
            cfn = cfn.function_response_types([
                event_source_mapping::FunctionResponseTypes::ReportBatchItemFailures,
            ]);
        }
        #[cfg(feature = "sqs")]
        if let Some(q) = &self.on_failure {
            if q.is_fifo() {
                report(
                    function,
                    codes::ON_FAILURE,
                    "EventSourceMapping.DestinationConfig.OnFailure",
                    format!(
                        "the on-failure destination {} is a FIFO queue; Lambda sends to standard queues",
                        q.scope().path()
                    ),
                    Some("use a standard queue"),
                );
            }
            q.grant_send_messages(function)?;
            cfn = cfn.destination_config(
                event_source_mapping::DestinationConfig::new()
                    .on_failure(event_source_mapping::OnFailure::new().destination(q.arn())),
            );
        }
        if !self.enabled {
            cfn = cfn.enabled(false);
        }
        function.scope().add(&mapping_id(table.scope()), cfn)?;
        Ok(())
    }
}
