"""Sends one agent interaction to Warden with the official OpenTelemetry SDK.

Configured the way an operator configures any Python agent, through the standard
environment variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_HEADERS); the
exporter is the stock OTLP/HTTP protobuf one. Prints the trace id as hex.
"""

import json
import os
import sys

from opentelemetry import trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace import SpanKind, Status, StatusCode

agent = sys.argv[1] if len(sys.argv) > 1 else "py-support-agent"

provider = TracerProvider(
    resource=Resource.create(
        {"service.name": agent, "deployment.environment.name": "production", "service.version": "2.3.1"}
    )
)
exporter = OTLPSpanExporter()  # endpoint and headers from the OTEL_* environment
provider.add_span_processor(BatchSpanProcessor(exporter))
tracer = provider.get_tracer("warden-e2e")


def messages(role, text):
    return json.dumps([{"role": role, "parts": [{"type": "text", "content": text}]}])


question = "Where is my order ORD-2024-001234? I ordered it on 2024-11-02."
answer = os.environ.get("E2E_ANSWER") or (
    "I'm an AI assistant. Your order ORD-2024-001234 shipped yesterday; "
    "we sent the tracking link to maria.lopez@example.com."
)

with tracer.start_as_current_span(f"invoke_agent {agent}", kind=SpanKind.SERVER) as root:
    root.set_attribute("gen_ai.operation.name", "invoke_agent")
    root.set_attribute("gen_ai.agent.name", agent)
    root.set_attribute("gen_ai.conversation.id", "conv-e2e-1")
    root.set_attribute("gen_ai.input.messages", messages("user", question))
    with tracer.start_as_current_span("chat gpt-4o-mini", kind=SpanKind.CLIENT) as llm:
        llm.set_attribute("gen_ai.operation.name", "chat")
        llm.set_attribute("gen_ai.provider.name", "openai")
        llm.set_attribute("gen_ai.request.model", "gpt-4o-mini")
        llm.set_attribute("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
        llm.set_attribute("gen_ai.usage.input_tokens", 1200)
        llm.set_attribute("gen_ai.usage.output_tokens", 300)
        llm.set_attribute("gen_ai.response.finish_reasons", ["tool_calls"])
    with tracer.start_as_current_span("execute_tool lookup_order") as tool:
        tool.set_attribute("gen_ai.operation.name", "execute_tool")
        tool.set_attribute("gen_ai.tool.name", "lookup_order")
        tool.set_attribute("gen_ai.tool.call.arguments", '{"order_id": "ORD-2024-001234"}')
        tool.set_attribute("gen_ai.tool.call.result", '{"status": "shipped", "carrier": "DHL"}')
    with tracer.start_as_current_span("chat gpt-4o-mini", kind=SpanKind.CLIENT) as llm:
        llm.set_attribute("gen_ai.operation.name", "chat")
        llm.set_attribute("gen_ai.provider.name", "openai")
        llm.set_attribute("gen_ai.request.model", "gpt-4o-mini")
        llm.set_attribute("gen_ai.usage.input_tokens", 1500)
        llm.set_attribute("gen_ai.usage.output_tokens", 120)
        llm.set_attribute("gen_ai.output.messages", messages("assistant", answer))
        llm.set_status(Status(StatusCode.OK))
    root.set_attribute("gen_ai.output.messages", messages("assistant", answer))
    trace_id = format(root.get_span_context().trace_id, "032x")

# force_flush returns False when the export failed: the test must not pass on a lost batch.
if not provider.force_flush(timeout_millis=10_000):
    sys.exit("the spans were not exported")
provider.shutdown()
print(trace_id)
