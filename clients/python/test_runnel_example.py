#!/usr/bin/env python3
"""Unit tests of the wire helpers and the command line; no broker needed.

    /usr/bin/python3 clients/python/test_runnel_example.py
"""

import contextlib
import io
import os
import sys
import tempfile
import unittest
from pathlib import Path

import grpc

sys.path.insert(0, str(Path(__file__).resolve().parent))
import protogen  # noqa: E402
import runnel_example as rx  # noqa: E402
import runnel_wire as wire  # noqa: E402

_CACHE = tempfile.TemporaryDirectory(prefix="runnel-pytest-")
PB = protogen.load(cache_root=os.environ.get("RUNNEL_PY_CACHE") or _CACHE.name)


class Crc32cTest(unittest.TestCase):
    def test_standard_check_value(self):
        self.assertEqual(0xE3069283, wire.crc32c(b"123456789"))

    def test_empty_input(self):
        self.assertEqual(0, wire.crc32c(b""))

    def test_known_rfc3720_vector(self):
        # RFC 3720 (iSCSI) B.4: 32 bytes of zeros.
        self.assertEqual(0x8A9136AA, wire.crc32c(bytes(32)))


class Murmur2Test(unittest.TestCase):
    # Apache Kafka's UtilsTest.testMurmur2 vectors (signed 32-bit, as Java prints them).
    VECTORS = {
        b"21": -973932308,
        b"foobar": -790332482,
        b"a-little-bit-long-string": -985981536,
        b"a-little-bit-longer-string": -1486304829,
        b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8": -58897971,
        b"abc": 479470107,
    }

    def test_kafka_vectors(self):
        for data, expected in self.VECTORS.items():
            with self.subTest(data=data):
                self.assertEqual(expected, wire.murmur2(data))

    def test_partition_clears_the_sign_bit_instead_of_negating(self):
        # murmur2(b"21") is negative; Kafka's toPositive keeps the low 31 bits.
        self.assertEqual((-973932308 & 0x7FFFFFFF) % 7, wire.partition_for_key(b"21", 7))
        for key in self.VECTORS:
            self.assertIn(wire.partition_for_key(key, 3), range(3))


class BatchTest(unittest.TestCase):
    RECORDS = [(b"k", b"v1"), (None, b"v2"), (b"", None)]

    def test_round_trip_keeps_null_and_empty_apart(self):
        records = wire.decode_batch(PB, wire.encode_batch(PB, self.RECORDS, 1_700_000_000_000))
        self.assertEqual(3, len(records))
        self.assertEqual((b"k", b"v1"), (records[0].key, records[0].value))
        self.assertFalse(records[1].HasField("key"))
        self.assertTrue(records[2].HasField("key"))
        self.assertEqual(b"", records[2].key)
        self.assertFalse(records[2].HasField("value"))

    def test_header_fields(self):
        batch = PB.records.RecordBatch.FromString(wire.encode_batch(PB, self.RECORDS, 42))
        self.assertEqual((1, 3, 42, 42, 0), (batch.format_version, batch.record_count,
                                             batch.base_timestamp_ms, batch.max_timestamp_ms,
                                             batch.producer_id))
        self.assertEqual(wire.crc32c(batch.records), batch.crc)

    def _tampered(self, **changes):
        batch = PB.records.RecordBatch.FromString(wire.encode_batch(PB, self.RECORDS, 42))
        for field, value in changes.items():
            setattr(batch, field, value)
        return batch.SerializeToString()

    def test_rejects_a_flipped_payload_byte(self):
        batch = PB.records.RecordBatch.FromString(wire.encode_batch(PB, self.RECORDS, 42))
        batch.records = bytes([batch.records[0] ^ 1]) + batch.records[1:]
        with self.assertRaisesRegex(wire.CorruptBatchError, "CRC mismatch"):
            wire.decode_batch(PB, batch.SerializeToString())

    def test_rejects_unknown_version_wrong_count_and_compression(self):
        cases = {"format_version": (2, "format_version 2"),
                 "record_count": (4, "record_count 4"),
                 "compression": (PB.records.COMPRESSION_LZ4, "COMPRESSION_LZ4")}
        for field, (value, message) in cases.items():
            with self.subTest(field=field), self.assertRaisesRegex(wire.CorruptBatchError, message):
                wire.decode_batch(PB, self._tampered(**{field: value}))


class _FailedCall(grpc.RpcError):
    """The two methods of a failed grpc call that error_from_rpc reads."""

    def __init__(self, code, details, trailers):
        super().__init__()
        self._code, self._details, self._trailers = code, details, trailers

    def code(self):
        return self._code

    def details(self):
        return self._details

    def trailing_metadata(self):
        return self._trailers


class ErrorTest(unittest.TestCase):
    def test_reads_the_error_detail_from_the_status_trailer(self):
        detail = PB.errors.ErrorDetail(code=PB.errors.NOT_LEADER, message="ask broker 2")
        status = PB.status.RpcStatus(code=14, message="NOT_LEADER: ask broker 2", details=[
            PB.status.AnyMessage(type_url="type.googleapis.com/runnel.v1.ErrorDetail",
                                 value=detail.SerializeToString())])
        call = _FailedCall(grpc.StatusCode.UNAVAILABLE, "x",
                           (("grpc-status-details-bin", status.SerializeToString()),))
        error = wire.error_from_rpc(PB, "Produce", call)
        self.assertEqual("NOT_LEADER", error.code)
        self.assertTrue(error.retriable)
        self.assertEqual("NOT_LEADER: Produce: ask broker 2", str(error))

    def test_without_detail_falls_back_to_the_grpc_code(self):
        error = wire.error_from_rpc(PB, "Fetch", _FailedCall(grpc.StatusCode.UNAVAILABLE, "refused", ()))
        self.assertEqual("GRPC_UNAVAILABLE", error.code)
        self.assertFalse(error.retriable)


class VerifyTest(unittest.TestCase):
    """The example's own check must notice lost, changed, reordered and misplaced records."""

    KEY = b"21"
    PARTITION = wire.partition_for_key(KEY, 3)

    def _verify(self, found, partition=PARTITION):
        sent = [rx.Sent(self.KEY, b"v0", partition, 10), rx.Sent(self.KEY, b"v1", partition, 11)]
        with contextlib.redirect_stdout(io.StringIO()):
            return rx.verify(sent, found, 3)

    def _found(self, *values, partition=PARTITION):
        return {(partition, 10 + i): PB.records.Record(key=self.KEY, value=v)
                for i, v in enumerate(values)}

    def test_all_back_in_order(self):
        self.assertEqual({"missing": 0, "mismatched": 0, "misplaced": 0, "out_of_order_keys": 0},
                         self._verify(self._found(b"v0", b"v1")))

    def test_reordered_changed_and_missing(self):
        swapped = self._verify(self._found(b"v1", b"v0"))
        self.assertEqual((2, 1), (swapped["mismatched"], swapped["out_of_order_keys"]))
        self.assertEqual(1, self._verify(self._found(b"v0"))["missing"])

    def test_wrong_partition(self):
        other = (self.PARTITION + 1) % 3
        self.assertEqual(2, self._verify(self._found(b"v0", b"v1", partition=other), other)["misplaced"])


class ArgumentTest(unittest.TestCase):
    def _usage_error(self, argv):
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), self.assertRaises(SystemExit) as exit_:
            rx.parse_args(argv)
        self.assertEqual(rx.EXIT_USAGE, exit_.exception.code)
        return stderr.getvalue()

    def test_limits_are_named_in_the_message(self):
        self.assertIn("between 1 and 100000", self._usage_error(["--topic", "t", "--count", "0"]))
        self.assertIn("between 1 and 100000", self._usage_error(["--topic", "t", "--count", "100001"]))
        self.assertIn("not a whole number", self._usage_error(["--topic", "t", "--keys", "many"]))

    def test_bootstrap_must_be_host_and_port(self):
        self.assertIn("expected host:port", self._usage_error(["--topic", "t", "--bootstrap", "h:x"]))
        self.assertEqual(["a:1", "b:2"], rx.parse_args(["--topic", "t", "--bootstrap", "a:1,b:2"]).bootstrap)
        self.assertEqual(["localhost:9292"], rx.parse_args(["--topic", "t"]).bootstrap)


if __name__ == "__main__":
    unittest.main()
