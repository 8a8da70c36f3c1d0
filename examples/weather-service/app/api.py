"""The FastAPI backend: a weather comment for a place (the LLM calls are the team's)."""
import os

from fastapi import FastAPI

app = FastAPI()


@app.get("/comment")
def comment(place: str):
    return {"place": place, "comment": f"Weather for {place}", "env": os.environ.get("ENV", "dev")}
