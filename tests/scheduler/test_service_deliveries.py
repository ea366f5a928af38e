"""The service's delivery job: scheduled on purpose, runs at start, survives a broken database."""

from __future__ import annotations

import asyncio
import json
import signal
import time
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import select

from core.config import Config
from scheduler.jobs import DELIVERY_INTERVAL, DELIVERY_JOB_ID, deliver_job, schedule_deliveries
from scheduler.service import Service
from storage.db import transaction
from storage.models import Delivery
from tests.alertdata import Receiver, make_alert
from tests.conftest import start_service, write_config


def _service(db_url: str, hook_url: str) -> Service:
    return Service(
        Config.model_validate({"database": {"url": db_url}, "alerts": {"channels": {"webhook": {"url": hook_url}}}})
    )


def test_delivery_job_is_scheduled_to_run_at_start_then_every_30s(db_url):
    service = _service(db_url, "http://127.0.0.1:9/")
    scheduler = AsyncIOScheduler(timezone=UTC)
    now = datetime(2025, 11, 8, 12, 0, tzinfo=UTC)
    try:
        schedule_deliveries(scheduler, service, now=now)
        (job,) = scheduler.get_jobs()
        assert job.id == DELIVERY_JOB_ID
        assert job.next_run_time == now  # what was left pending before a restart goes out at once
        assert job.trigger.interval == DELIVERY_INTERVAL == timedelta(seconds=30)
        assert (job.max_instances, job.coalesce, job.misfire_grace_time) == (1, True, 30)
    finally:
        service.engine.dispose()


def test_delivery_job_sends_pending_deliveries(db_url, sessions, httpserver):
    receiver = Receiver(httpserver)
    with transaction(sessions) as session:
        alert_id = make_alert(session, channels=["webhook"])
    service = _service(db_url, receiver.url)
    try:
        asyncio.run(deliver_job(service))
    finally:
        service.engine.dispose()
    assert [json.loads(h.body)["id"] for h in receiver.ok] == [alert_id]
    assert service.running == set()


def test_delivery_job_logs_a_database_failure_and_returns(caplog):
    service = Service(Config.model_validate({"database": {"url": "postgresql+psycopg://nobody@127.0.0.1:1/none"}}))
    try:
        asyncio.run(deliver_job(service))
    finally:
        service.engine.dispose()
    assert "delivery run failed" in caplog.text


def test_running_service_delivers_what_was_pending_at_start(tmp_path, db_url, sessions, httpserver):
    receiver = Receiver(httpserver)
    with transaction(sessions) as session:
        alert_id = make_alert(session, channels=["webhook"])
    config = write_config(
        tmp_path,
        {
            "database": {"url": db_url},
            "alerts": {"channels": {"webhook": {"url": receiver.url}}},
            "api": {"port": 0},
        },
    )
    process = start_service(config)
    try:
        deadline = time.monotonic() + 60
        while not receiver.ok and time.monotonic() < deadline:
            assert process.poll() is None, process.communicate()[1][-3000:]
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr[-3000:]
    assert [json.loads(h.body)["id"] for h in receiver.ok] == [alert_id]
    assert "Traceback" not in stderr
    with sessions() as session:
        assert session.scalar(select(Delivery.status).where(Delivery.alert_id == alert_id)) == "sent"
