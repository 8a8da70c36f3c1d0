//! Step Functions: state machines with a typed Amazon States Language
//! builder, validated at synth, and a role that may do exactly what the
//! tasks need.
//!
//! ```
//! use formwork::App;
//! use formwork::stepfunctions::{
//!     Choice, Condition, Definition, Fail, StateMachine, StateMachineProps, Task,
//! };
//! let app = App::new();
//! let stack = app.stack("Vision")?;
//! let worker = "arn:aws:lambda:ap-northeast-1:123456789012:function:poc-mc-vision-pipeline-worker";
//! let definition = Definition::new("Route")
//!     .state("Route", Choice::new()
//!         .when(Condition::or([
//!             Condition::string_equals("$.inference_type", "sagemaker"),
//!             Condition::string_equals("$.inference_type", "bedrock"),
//!             Condition::string_equals("$.inference_type", "azure"),
//!         ]), "Infer")
//!         .otherwise("Unsupported"))
//!     .state("Infer", Task::lambda_invoke(worker).end())
//!     .state("Unsupported", Fail::new().error("UnsupportedInferenceType"));
//! let machine = StateMachine::new(&stack, "Pipeline", StateMachineProps::new(definition))?;
//! # let _ = machine;
//! # Ok::<(), formwork::Error>(())
//! ```

mod definition;
#[cfg(feature = "cloudwatch")]
mod metrics;
mod state_machine;
mod states;

pub use definition::Definition;
pub use state_machine::{LogLevel, Logging, StateMachine, StateMachineProps, StateMachineType};
pub use states::{
    Catch, Choice, Condition, Fail, Map, Parallel, Pass, Retry, State, Succeed, Task, Wait, errors,
};

/// The diagnostic codes of Step Functions constructs (`FW27xx`).
pub mod codes {
    /// A `StartAt`, `Next`, `Default` or catcher `Next` that names no state
    /// of its definition (or branch).
    pub const UNKNOWN_STATE: &str = "FW2701";
    /// A state that no path from `StartAt` reaches.
    pub const UNREACHABLE: &str = "FW2702";
    /// A `Task`, `Pass`, `Wait`, `Map` or `Parallel` state with neither
    /// `Next` nor `End`.
    pub const NO_TRANSITION: &str = "FW2703";
    /// A state name used twice in one state machine (branches included).
    pub const DUPLICATE_STATE: &str = "FW2704";
    /// A `Choice` state without rules.
    pub const EMPTY_CHOICE: &str = "FW2705";
    /// A state name that is empty or longer than 80 characters.
    pub const STATE_NAME: &str = "FW2706";
    /// A hand-written definition that is not an object with `StartAt` and
    /// `States`.
    pub const RAW_DEFINITION: &str = "FW2707";
    /// A retrier or catcher Step Functions refuses (empty `ErrorEquals`,
    /// `States.ALL` not alone and last, backoff rate below 1, interval 0).
    pub const RETRY_CATCH: &str = "FW2708";
    /// A choice condition Step Functions refuses (variable not a path,
    /// empty `And` / `Or`).
    pub const CONDITION: &str = "FW2709";
    /// A path (`InputPath`, `ResultPath`, ...) that does not start with `$`.
    pub const PATH: &str = "FW2710";
    /// A task timeout or heartbeat of 0, or a heartbeat not shorter than
    /// the timeout.
    pub const TIMEOUT: &str = "FW2711";
    /// A state machine name Step Functions refuses (1 to 80 of
    /// `A-Z a-z 0-9 - _`).
    pub const STATE_MACHINE_NAME: &str = "FW2712";
}
