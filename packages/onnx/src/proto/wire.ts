/** The protobuf wire format, hand-written: a growing byte writer and a bounds-checked reader (varints, fixed32/64, length-delimited fields). */
import { ValueError } from "@backprop/core";

/** Wire types of the protobuf encoding. */
export enum WireType {
  Varint = 0,
  Fixed64 = 1,
  Bytes = 2,
  Fixed32 = 5,
}

const textEncoder = new TextEncoder();
const textDecoder = new TextDecoder("utf-8", { fatal: true });

/** Appends protobuf fields to a growing buffer. */
export class Writer {
  #buf = new Uint8Array(256);
  #len = 0;
  #view = new DataView(this.#buf.buffer);

  #reserve(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.#buf.subarray(0, this.#len));
    this.#buf = next;
    this.#view = new DataView(next.buffer);
  }

  /** An unsigned varint of at most 2⁵³ − 1 (tags, lengths, enums, non-negative ints). */
  varint(value: number): void {
    this.#reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.#buf[this.#len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#buf[this.#len++] = v;
  }

  /** A signed int64 as protobuf writes it: two's complement, so a negative value takes 10 bytes. */
  int64(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    this.#reserve(10);
    while (v >= 0x80n) {
      this.#buf[this.#len++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#len++] = Number(v);
  }

  tag(field: number, wire: WireType): void {
    this.varint(field * 8 + wire);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, WireType.Bytes);
    this.varint(data.length);
    this.#reserve(data.length);
    this.#buf.set(data, this.#len);
    this.#len += data.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, textEncoder.encode(s));
  }

  /** A float field (fixed32): ONNX's attribute floats are single precision. */
  float(field: number, value: number): void {
    this.tag(field, WireType.Fixed32);
    this.fixed32(value);
  }

  /** A raw little-endian float32 (inside a packed run). */
  fixed32(value: number): void {
    this.#reserve(4);
    this.#view.setFloat32(this.#len, value, true);
    this.#len += 4;
  }

  /** A raw little-endian float64 (inside a packed run). */
  fixed64(value: number): void {
    this.#reserve(8);
    this.#view.setFloat64(this.#len, value, true);
    this.#len += 8;
  }

  /** A nested message, written by `build` into its own writer. */
  message(field: number, build: (w: Writer) => void): void {
    const inner = new Writer();
    build(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.#buf.slice(0, this.#len);
  }
}

/** Reads protobuf fields from bytes; every read checks the bounds, so corrupt or truncated input is a ValueError. */
export class Reader {
  pos: number;
  readonly #view: DataView;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
    /** The message being read, for error messages (e.g. "ModelProto.graph"). */
    readonly where = "ModelProto",
  ) {
    this.pos = start;
    this.#view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** Throws the error every malformed input ends in. */
  fail(what: string): never {
    throw new ValueError("fromOnnx", `corrupt or truncated ONNX bytes: ${what} in ${this.where} at byte ${this.pos}`);
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint that must fit a JavaScript number exactly (tags, lengths, enums). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail("a varint runs past the end");
      const byte = this.buf[this.pos++];
      result += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) this.fail("a varint exceeds 2^53");
        return result;
      }
      scale *= 128;
    }
    return this.fail("a varint is longer than 10 bytes");
  }

  /** A signed int64 varint (two's complement), as a bigint. */
  int64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail("a varint runs past the end");
      const byte = this.buf[this.pos++];
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return BigInt.asIntN(64, result);
      shift += 7n;
    }
    return this.fail("a varint is longer than 10 bytes");
  }

  /** A signed int32 varint (negative values are sign-extended to 10 bytes on the wire). */
  int32(): number {
    return Number(BigInt.asIntN(32, this.int64()));
  }

  /** The next tag as [field, wire type]. */
  tag(): [number, number] {
    const tag = this.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) this.fail("field number 0");
    return [field, wire];
  }

  /** The extent [start, end) of a length-delimited field. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    if (length > this.end - start) this.fail(`a field of ${length} bytes runs past the end`);
    this.pos = start + length;
    return [start, start + length];
  }

  bytes(): Uint8Array {
    const [start, end] = this.span();
    return this.buf.subarray(start, end);
  }

  string(): string {
    const bytes = this.bytes();
    try {
      return textDecoder.decode(bytes);
    } catch {
      return this.fail("a string is not UTF-8");
    }
  }

  /** A nested message's reader. */
  sub(where: string): Reader {
    const [start, end] = this.span();
    return new Reader(this.buf, start, end, where);
  }

  float(): number {
    if (this.end - this.pos < 4) this.fail("a float runs past the end");
    const v = this.#view.getFloat32(this.pos, true);
    this.pos += 4;
    return v;
  }

  double(): number {
    if (this.end - this.pos < 8) this.fail("a double runs past the end");
    const v = this.#view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Skips a field of an unknown number. */
  skip(wire: number): void {
    if (wire === WireType.Varint) this.int64();
    else if (wire === WireType.Fixed64) this.advance(8);
    else if (wire === WireType.Bytes) this.span();
    else if (wire === WireType.Fixed32) this.advance(4);
    else this.fail(`unsupported wire type ${wire}`);
  }

  private advance(n: number): void {
    if (this.end - this.pos < n) this.fail("a fixed-size field runs past the end");
    this.pos += n;
  }

  /**
   * A repeated scalar field, packed (one length-delimited run) or not (one value per tag): protobuf
   * readers must accept both, and ONNX's proto2 schema writes dims/ints unpacked but data fields packed.
   */
  repeated<T>(wire: number, expected: WireType, read: (r: Reader) => T, into: T[]): void {
    if (wire === WireType.Bytes) {
      const [start, end] = this.span();
      const packed = new Reader(this.buf, start, end, this.where);
      while (!packed.done()) into.push(read(packed));
    } else if (wire === expected) {
      into.push(read(this));
    } else {
      this.fail(`wire type ${wire} where ${expected} was expected`);
    }
  }

  /** Fails unless the field has the wire type the schema gives it. */
  expect(wire: number, expected: WireType, field: string): void {
    if (wire !== expected) this.fail(`field ${field} has wire type ${wire}, expected ${expected}`);
  }
}
