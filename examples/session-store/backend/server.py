"""The backend: session metadata in Redis (SESSION_TTL), uploaded images in S3."""
import os

import redis
from fastapi import FastAPI

app = FastAPI()
sessions = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://localhost:6379"))
TTL = int(os.environ.get("SESSION_TTL", "86400"))


@app.get("/")
def health():
    return {"ok": True}


@app.put("/sessions/{sid}")
def touch(sid: str):
    sessions.set(f"session:{sid}", "1", ex=TTL)
    return {"session": sid, "ttl": TTL}
