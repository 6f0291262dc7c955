"""The wire rules every Runnel client follows, in any language: no gRPC calls here.

- RecordBatch.crc is the CRC-32C (Castagnoli) of the `records` bytes;
- a key goes to partition toPositive(murmur2(key)) % partitions, as in Kafka;
- a batch is checked (version, CRC, count, codec) before its records are trusted;
- a failed call carries a runnel.v1.ErrorDetail inside the google.rpc.Status of its
  `grpc-status-details-bin` trailer.

Functions that touch messages take `pb`, the namespace of generated modules from protogen.load().
"""

# --- CRC-32C (Castagnoli): RecordBatch.crc covers the `records` bytes ----------------------------

def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            # 0x82F63B78 is the Castagnoli polynomial 0x1EDC6F41 bit-reversed (reflected CRC).
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return tuple(table)


_CRC32C_TABLE = _crc32c_table()


def crc32c(data):
    """CRC-32C of bytes, as java.util.zip.CRC32C computes it; crc32c(b"123456789") == 0xE3069283."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _CRC32C_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


# --- Kafka's key partitioner: lets a client predict (and here, check) the broker's choice ------

_MASK32 = 0xFFFFFFFF


def murmur2(data):
    """Kafka's Utils.murmur2 as a signed 32-bit int; murmur2(b"21") == -973932308."""
    m = 0x5BD1E995
    length = len(data)
    h = (0x9747B28C ^ length) & _MASK32
    whole = length - length % 4
    for i in range(0, whole, 4):
        k = (int.from_bytes(data[i:i + 4], "little") * m) & _MASK32
        k = ((k ^ (k >> 24)) * m) & _MASK32
        h = ((h * m) & _MASK32) ^ k
    tail = length % 4
    if tail == 3:
        h ^= data[whole + 2] << 16
    if tail >= 2:
        h ^= data[whole + 1] << 8
    if tail >= 1:
        h = ((h ^ data[whole]) * m) & _MASK32
    h = ((h ^ (h >> 13)) * m) & _MASK32
    h ^= h >> 15
    return h - (1 << 32) if h & 0x80000000 else h


def partition_for_key(key, partitions):
    """toPositive(murmur2(key)) % partitions: the partition Kafka and Runnel pick for a key."""
    return (murmur2(key) & 0x7FFFFFFF) % partitions


# --- Record batches ----------------------------------------------------------------------------

class CorruptBatchError(Exception):
    """A fetched batch failed its checks (version, CRC, record count or codec)."""


def encode_batch(pb, records, timestamp_ms):
    """Serializes (key, value) byte pairs as an uncompressed RecordBatch without idempotence."""
    record_list = pb.records.RecordList()
    for key, value in records:
        record = record_list.records.add()  # timestamp_delta_ms 0: all share the batch timestamp
        if key is not None:  # an unset key is a null key; b"" is an empty key
            record.key = key
        if value is not None:
            record.value = value
    payload = record_list.SerializeToString()
    batch = pb.records.RecordBatch(
        format_version=1,
        crc=crc32c(payload),
        record_count=len(records),
        base_timestamp_ms=timestamp_ms,
        max_timestamp_ms=timestamp_ms,
        compression=pb.records.COMPRESSION_NONE,
        producer_id=0,  # 0: not idempotent, so producer_epoch and base_sequence are ignored
        records=payload,
    )
    return batch.SerializeToString()


def decode_batch(pb, data):
    """The Record messages of a serialized RecordBatch, after checking it as a consumer must."""
    batch = pb.records.RecordBatch.FromString(data)
    if batch.format_version != 1:
        raise CorruptBatchError(f"unknown batch format_version {batch.format_version}")
    if crc32c(batch.records) != batch.crc:
        raise CorruptBatchError(f"CRC mismatch: header {batch.crc:#010x}, "
                                f"computed {crc32c(batch.records):#010x}")
    if batch.compression != pb.records.COMPRESSION_NONE:
        name = pb.records.Compression.Name(batch.compression)
        raise CorruptBatchError(f"{name} batches are not supported by this example "
                                "(decompress the LZ4 or Zstandard frame, then parse the RecordList)")
    records = list(pb.records.RecordList.FromString(batch.records).records)
    if len(records) != batch.record_count:
        raise CorruptBatchError(f"record_count {batch.record_count} but {len(records)} records")
    return records


# --- Errors: an ErrorDetail travels in the grpc-status-details-bin trailer ---------------------

# ErrorCode names after which repeating the same request may succeed (see errors.proto).
RETRIABLE = frozenset({
    "UNKNOWN_SERVER_ERROR", "UNKNOWN_TOPIC_OR_PARTITION", "NOT_LEADER", "LEADER_NOT_AVAILABLE",
    "REQUEST_TIMED_OUT", "BROKER_BUSY", "CONTROLLER_NOT_AVAILABLE", "STORAGE_ERROR",
    "NOT_ENOUGH_REPLICAS", "BROKER_NOT_AVAILABLE",
})
# Retriable codes given before the batch reached the partition's Raft log, so a producer without
# idempotence can resend without writing a duplicate. Not NOT_LEADER: a leader that steps down
# answers NOT_LEADER for entries it had already appended, and the next leader may commit them.
# Not REQUEST_TIMED_OUT either: the outcome is unknown. Only idempotence makes those safe to resend.
NOT_STORED = frozenset({"LEADER_NOT_AVAILABLE", "UNKNOWN_TOPIC_OR_PARTITION", "BROKER_BUSY"})


class RunnelError(Exception):
    """A failure reported by a broker: an ErrorCode name and the broker's message."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.retriable = code in RETRIABLE


def error_from_rpc(pb, what, error):
    """Turns a failed gRPC call into a RunnelError, using the ErrorDetail when there is one."""
    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        for detail in pb.status.RpcStatus.FromString(value).details:
            if detail.type_url.endswith("/runnel.v1.ErrorDetail"):
                parsed = pb.errors.ErrorDetail.FromString(detail.value)
                return RunnelError(pb.errors.ErrorCode.Name(parsed.code), f"{what}: {parsed.message}")
    # No detail: the broker was not reached, or something between us and it failed.
    return RunnelError(f"GRPC_{error.code().name}", f"{what}: {error.details()}")
