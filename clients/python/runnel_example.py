#!/usr/bin/env python3
"""A small Runnel client in Python, and the model for clients in other languages.

It uses nothing but the public gRPC API generated from proto/runnel/v1: it creates a topic,
produces keyed records (the broker picks each key's partition with Kafka's murmur2 partitioner),
fetches them back and checks that every record came back, at its offset, in per-key order.

    /usr/bin/python3 clients/python/runnel_example.py --bootstrap localhost:9292 --topic demo --count 100

The last line of output is a machine-checkable summary:

    RESULT status=ok topic=demo produced=100 fetched=100 missing=0 mismatched=0 misplaced=0 ...

Exit codes: 0 all records read back in order; 1 records missing, changed or out of order;
2 bad arguments; 3 the broker reported an error or could not be reached; 4 the protos could not
be compiled (a missing package).
"""

import argparse
import sys
import time
from collections import defaultdict
from dataclasses import dataclass

import grpc

import protogen
from runnel_wire import (NOT_STORED, RETRIABLE, CorruptBatchError, RunnelError, decode_batch,
                         encode_batch, error_from_rpc, partition_for_key)

# Named limits: arguments above them are refused with a clear message.
MAX_COUNT = 100_000
MAX_KEYS = 1_000
MAX_BATCH_RECORDS = 10_000
MAX_PARTITIONS = 1_024
# Bounds on retrying a produce whose batches the broker did not store (e.g. no leader yet).
MAX_PRODUCE_ATTEMPTS = 5
RETRY_BACKOFF_S = 0.2
# How long one fetch waits on the broker for new data (long poll).
FETCH_MAX_WAIT_MS = 500

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE, EXIT_BROKER_ERROR, EXIT_SETUP = 0, 1, 2, 3, 4


# --- The client --------------------------------------------------------------------------------

class RunnelClient:
    """Blocking calls to one broker; any broker forwards partition requests to the leader."""

    def __init__(self, pb, address, rpc_timeout_s=15.0):
        self._pb = pb
        self._timeout_s = rpc_timeout_s
        self._channel = grpc.insecure_channel(address)
        self._log = pb.log_grpc.LogServiceStub(self._channel)
        self._admin = pb.admin_grpc.AdminServiceStub(self._channel)
        self.address = address

    def close(self):
        self._channel.close()

    def _call(self, what, method, request, timeout_s=None):
        try:
            return method(request, timeout=timeout_s or self._timeout_s)
        except grpc.RpcError as e:
            raise error_from_rpc(self._pb, what, e) from None

    def ping(self):
        """Any cheap call, to learn whether the broker answers."""
        self._call("Metadata", self._log.Metadata, self._pb.log.MetadataRequest(), timeout_s=5)

    def create_topic(self, name, partitions, replication_factor):
        request = self._pb.admin.CreateTopicRequest(
            name=name, partitions=partitions, replication_factor=replication_factor,
            timeout_ms=int(self._timeout_s * 1000))
        return self._call("CreateTopic", self._admin.CreateTopic, request).topic

    def partition_count(self, topic):
        response = self._call("Metadata", self._log.Metadata,
                              self._pb.log.MetadataRequest(topics=[topic]))
        for t in response.topics:
            if t.name == topic:
                if t.error:
                    raise RunnelError(self._pb.errors.ErrorCode.Name(t.error), f"Metadata: {topic}")
                return len(t.partitions)
        raise RunnelError("UNKNOWN_TOPIC_OR_PARTITION", f"Metadata: no topic {topic}")

    def produce(self, topic, keyed_batches):
        """Sends (key, batch bytes) pairs in one request; returns one ProduceResult per pair."""
        request = self._pb.log.ProduceRequest(
            acks=self._pb.log.ACKS_MAJORITY,
            batches=[self._pb.log.PartitionBatch(topic=topic, partition_key=key, batch=batch)
                     for key, batch in keyed_batches])
        return list(self._call("Produce", self._log.Produce, request).results)

    def fetch(self, topic, offsets):
        """Fetches from {partition: offset}; returns the FetchedPartition messages."""
        request = self._pb.log.FetchRequest(
            max_wait_ms=FETCH_MAX_WAIT_MS, min_bytes=1,
            partitions=[self._pb.log.FetchPartition(topic=topic, partition=p, offset=o)
                        for p, o in sorted(offsets.items())])
        timeout_s = self._timeout_s + FETCH_MAX_WAIT_MS / 1000
        return list(self._call("Fetch", self._log.Fetch, request, timeout_s).partitions)


def connect(pb, bootstrap, rpc_timeout_s):
    """A client to the first bootstrap address that answers a Metadata call."""
    failures = []
    for address in bootstrap:
        client = RunnelClient(pb, address, rpc_timeout_s)
        try:
            client.ping()
            return client
        except RunnelError as e:
            client.close()
            failures.append(f"{address}: {e}")
    raise RunnelError("BROKER_NOT_AVAILABLE", "no bootstrap broker answered: " + "; ".join(failures))


# --- Produce keyed records, fetch them back, verify --------------------------------------------

@dataclass
class Sent:
    key: bytes
    value: bytes
    partition: int = -1
    offset: int = -1


def produce_keyed(client, pb, topic, records, batch_records):
    """Produces records grouped into per-key batches; fills in each record's partition and offset.

    Each request carries at most one batch per key, and requests go one after another, so a key's
    batches are appended in send order. A batch the broker did not store is resent (bounded).
    """
    by_key = defaultdict(list)
    for record in records:
        by_key[record.key].append(record)
    chunks = {key: [rs[i:i + batch_records] for i in range(0, len(rs), batch_records)]
              for key, rs in by_key.items()}
    requests = 0
    for round_no in range(max(len(c) for c in chunks.values())):
        pending = [cs[round_no] for cs in chunks.values() if round_no < len(cs)]
        for attempt in range(1, MAX_PRODUCE_ATTEMPTS + 1):
            now_ms = int(time.time() * 1000)
            batches = [(c[0].key, encode_batch(pb, [(r.key, r.value) for r in c], now_ms))
                       for c in pending]
            results = client.produce(topic, batches)
            requests += 1
            retry = []
            for chunk, result in zip(pending, results):
                code = pb.errors.ErrorCode.Name(result.error)
                if result.error == pb.errors.ERROR_NONE:
                    for i, record in enumerate(chunk):
                        record.partition, record.offset = result.partition, result.base_offset + i
                elif code in NOT_STORED and attempt < MAX_PRODUCE_ATTEMPTS:
                    retry.append(chunk)
                else:
                    raise RunnelError(code, f"Produce to {topic}: {result.error_message}")
            if not retry:
                break
            pending = retry
            time.sleep(RETRY_BACKOFF_S * attempt)
    return requests


def fetch_back(client, pb, topic, sent, deadline):
    """Reads every partition from the first to the last offset produced; {(partition, offset): Record}."""
    end = {}
    next_offset = {}
    for s in sent:
        next_offset[s.partition] = min(next_offset.get(s.partition, s.offset), s.offset)
        end[s.partition] = max(end.get(s.partition, 0), s.offset + 1)
    found = {}
    while next_offset and time.monotonic() < deadline:
        before = len(found)
        for fp in client.fetch(topic, next_offset):
            if fp.error != pb.errors.ERROR_NONE:
                code = pb.errors.ErrorCode.Name(fp.error)
                if code in RETRIABLE:
                    continue  # leader moving, for instance: ask again in the next round
                raise RunnelError(code, f"Fetch {topic}/{fp.partition}: {fp.error_message}")
            # The first batch is the one containing the offset asked for: skip its earlier records.
            wanted = next_offset[fp.partition]
            for fb in fp.batches:
                try:
                    records = decode_batch(pb, fb.batch)
                except CorruptBatchError as e:
                    raise CorruptBatchError(f"{topic}/{fp.partition} offset {fb.base_offset}: {e}") from None
                for i, record in enumerate(records):
                    if fb.base_offset + i >= wanted:
                        found[(fp.partition, fb.base_offset + i)] = record
                next_offset[fp.partition] = max(next_offset[fp.partition], fb.base_offset + len(records))
            if next_offset[fp.partition] >= end[fp.partition]:
                del next_offset[fp.partition]
        if len(found) == before:
            time.sleep(RETRY_BACKOFF_S)  # errors come back at once; do not spin on them
    return found


def verify(sent, found, partitions):
    """Counts of what went wrong; all zero means every record came back in per-key order."""
    missing = mismatched = misplaced = 0
    by_key = defaultdict(list)
    for s in sent:
        record = found.get((s.partition, s.offset))
        if record is None:
            missing += 1
            continue
        if record.key != s.key or record.value != s.value:
            mismatched += 1
        if s.partition != partition_for_key(s.key, partitions):
            misplaced += 1
        by_key[s.key].append(s)
    out_of_order = 0
    for key, records in sorted(by_key.items()):
        # Read back in offset order, a key's values must be the values in the order they were sent.
        by_offset = sorted(records, key=lambda r: r.offset)
        read_back = [found[(r.partition, r.offset)].value for r in by_offset]
        in_order = read_back == [r.value for r in records] and len({r.partition for r in records}) == 1
        out_of_order += 0 if in_order else 1
        print(f"key {key.decode()}: partition {records[0].partition}, {len(records)} records, "
              f"offsets {by_offset[0].offset}..{by_offset[-1].offset}, "
              f"{'in order' if in_order else 'OUT OF ORDER'}")
    return {"missing": missing, "mismatched": mismatched, "misplaced": misplaced,
            "out_of_order_keys": out_of_order}


def run(args):
    pb = protogen.load(args.proto_dir, args.cache_dir)
    client = connect(pb, args.bootstrap, args.rpc_timeout)
    try:
        try:
            topic = client.create_topic(args.topic, args.partitions, args.replication_factor)
            print(f"created topic {topic.name} with {len(topic.partitions)} partitions")
        except RunnelError as e:
            if e.code != "TOPIC_ALREADY_EXISTS":
                raise
            print(f"topic {args.topic} already exists; using it")
        partitions = client.partition_count(args.topic)
        sent = [Sent(key=f"key-{i % args.keys}".encode(), value=f"value-{i}".encode())
                for i in range(args.count)]
        requests = produce_keyed(client, pb, args.topic, sent, args.batch_records)
        print(f"produced {len(sent)} records in {requests} requests to {client.address}")
        found = fetch_back(client, pb, args.topic, sent, time.monotonic() + args.timeout)
        problems = verify(sent, found, partitions)
    finally:
        client.close()
    fetched = len(sent) - problems["missing"]
    ok = not any(problems.values())
    print(f"RESULT status={'ok' if ok else 'FAILED'} topic={args.topic} produced={len(sent)} "
          f"fetched={fetched} keys={min(args.keys, args.count)} partitions={partitions} "
          + " ".join(f"{k}={v}" for k, v in problems.items()))
    return EXIT_OK if ok else EXIT_MISMATCH


def _bounded_int(low, high):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}, got {value}")
        return value
    return parse


def _bootstrap(text):
    addresses = [a.strip() for a in text.split(",") if a.strip()]
    for address in addresses:
        host, _, port = address.rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise argparse.ArgumentTypeError(f"expected host:port, got {address!r}")
    if not addresses:
        raise argparse.ArgumentTypeError("expected host:port[,host:port...]")
    return addresses


def parse_args(argv):
    p = argparse.ArgumentParser(description="Create a topic, produce keyed records, fetch them back.")
    p.add_argument("--bootstrap", type=_bootstrap, default="localhost:9292",
                   help="host:port[,host:port...] of any brokers (default localhost:9292)")
    p.add_argument("--topic", required=True, help="topic to create (or reuse if it exists)")
    p.add_argument("--count", type=_bounded_int(1, MAX_COUNT), default=100, help="records to produce")
    p.add_argument("--keys", type=_bounded_int(1, MAX_KEYS), default=3, help="distinct keys (key-0..)")
    p.add_argument("--partitions", type=_bounded_int(1, MAX_PARTITIONS), default=3,
                   help="partitions of a new topic")
    p.add_argument("--replication-factor", type=_bounded_int(0, 16), default=0,
                   help="replicas of a new topic (0: broker default, capped at live brokers)")
    p.add_argument("--batch-records", type=_bounded_int(1, MAX_BATCH_RECORDS), default=10,
                   help="most records in one batch")
    p.add_argument("--timeout", type=_bounded_int(1, 600), default=30,
                   help="seconds to wait for the records to be read back")
    p.add_argument("--rpc-timeout", type=_bounded_int(1, 600), default=15, help="seconds per call")
    p.add_argument("--proto-dir", help="root of the .proto files (default: this repository's)")
    p.add_argument("--cache-dir", help="where generated code is kept (default ~/.cache/runnel/python)")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return run(args)
    except RunnelError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_BROKER_ERROR
    except CorruptBatchError as e:
        print(f"error: corrupt batch fetched: {e}", file=sys.stderr)
        return EXIT_MISMATCH
    except protogen.ProtoGenError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_SETUP


if __name__ == "__main__":
    sys.exit(main())
