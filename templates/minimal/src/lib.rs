//! hello-formwork: a private bucket and a function allowed to read it.

use formwork::lambda::{Code, Function, FunctionProps, Runtime};
use formwork::logs::Retention;
use formwork::prelude::*;
use formwork::s3::{Bucket, BucketProps};

/// The handler: lists nothing yet, just answers.
const HANDLER: &str = "exports.handler = async () => ({ statusCode: 200, body: 'hello' });";

/// Builds the app: one stack, `Hello`.
pub fn app(ctx: &Context) -> Result<App> {
    let app = App::with_context(ctx.clone());
    let stack = app.stack("Hello")?;
    let bucket = Bucket::new(&stack, "Data", BucketProps::new())?;
    let function = Function::new(
        &stack,
        "Handler",
        FunctionProps::new(Code::inline(HANDLER))
            .runtime(Runtime::Nodejs24X)
            .handler("index.handler")
            .environment("BUCKET_NAME", bucket.bucket_name())
            .log_retention(Retention::OneMonth),
    )?;
    bucket.grant_read(&function)?;
    stack.add_output("BucketName", Output::new(bucket.bucket_name()))?;
    Ok(app)
}
