package server

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/apache/thrift/lib/go/thrift"
	"github.com/cassa-go/cassa/server/internal/schema"
	"github.com/cassa-go/cassa/server/internal/store"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// Commit-log record kinds. A record is one kind byte followed by its body;
// everything is length-prefixed with uvarints so that decoding a damaged
// record fails instead of guessing. (The log's own CRC catches damage; these
// checks keep a decoder bug or a foreign file from panicking.)
const (
	recMutations byte = 1 // a write: row mutations, each applied atomically
	recSchema    byte = 2 // a system_* call, replayed through the schema
	recTruncate  byte = 3 // truncate of one table
	recSchemaCQL byte = 4 // a CQL schema statement (schema.Op), replayed through the schema
)

// snapshotMagic starts every snapshot body, before the catalog.
const snapshotMagic = "cassa-snapshot-1"

// errBadRecord reports a commit-log record or snapshot body that does not
// decode. It is wrapped with what was being read.
var errBadRecord = errors.New("server: malformed commit-log record")

// enc appends the wire pieces of records.
type enc []byte

func (e enc) uvarint(v uint64) enc { return binary.AppendUvarint(e, v) }
func (e enc) varint(v int64) enc   { return binary.AppendVarint(e, v) }
func (e enc) str(s string) enc     { return append(e.uvarint(uint64(len(s))), s...) }

// bytes keeps nil apart from empty: 0 is nil, n+1 is n bytes.
func (e enc) bytes(b []byte) enc {
	if b == nil {
		return e.uvarint(0)
	}
	return append(e.uvarint(uint64(len(b))+1), b...)
}

func (e enc) mutation(m *store.RowMutation) enc {
	e = e.str(m.Keyspace).str(m.Table).bytes(m.Key).uvarint(uint64(len(m.Ops)))
	for i := range m.Ops {
		op := &m.Ops[i]
		e = append(e, byte(op.Kind)|opFlags(op))
		e = e.bytes(op.Super).bytes(op.Name).bytes(op.Value).bytes(op.Start).bytes(op.Finish)
		e = e.varint(op.Timestamp).varint(int64(op.TTL)).varint(op.Delta).varint(op.LocalTime)
	}
	return e
}

// An op's kind byte carries the exclusive ends of an OpDeleteRange in its
// top bits, so records written before those ends existed read the same.
const (
	opStartExclusive  byte = 0x40
	opFinishExclusive byte = 0x80
	opKindMask        byte = 0x3f
)

func opFlags(op *store.Op) byte {
	var f byte
	if op.StartExclusive {
		f |= opStartExclusive
	}
	if op.FinishExclusive {
		f |= opFinishExclusive
	}
	return f
}

// encodeMutations builds a recMutations record into buf.
func encodeMutations(buf []byte, muts []store.RowMutation) []byte {
	e := enc(append(buf[:0], recMutations)).uvarint(uint64(len(muts)))
	for i := range muts {
		e = e.mutation(&muts[i])
	}
	return e
}

func encodeTruncate(t *schema.Table) []byte {
	return enc{recTruncate}.str(t.Keyspace).str(t.Name)
}

func encodeSchemaOp(op schemaOp) ([]byte, error) {
	if op.CQL != nil {
		b, err := op.CQL.MarshalBinary()
		if err != nil {
			return nil, fmt.Errorf("server: encode schema change: %w", err)
		}
		return enc{recSchemaCQL}.bytes(b), nil
	}
	e := enc{recSchema}.uvarint(uint64(op.Kind)).str(op.Keyspace).str(op.Table)
	for _, s := range []thrift.TStruct{op.KsDef, op.CfDef} {
		if isNilStruct(s) {
			e = e.bytes(nil)
			continue
		}
		b, err := thrift.NewTSerializer().Write(context.Background(), s)
		if err != nil {
			return nil, fmt.Errorf("server: encode schema change: %w", err)
		}
		e = e.bytes(b)
	}
	return e, nil
}

func isNilStruct(s thrift.TStruct) bool {
	switch v := s.(type) {
	case *tg.KsDef:
		return v == nil
	case *tg.CfDef:
		return v == nil
	}
	return s == nil
}

// dec reads what enc wrote; the first failure sticks.
type dec struct {
	b   []byte
	err error
}

func (d *dec) fail() {
	if d.err == nil {
		d.err = errBadRecord
	}
	d.b = nil
}

func (d *dec) byte() byte {
	if len(d.b) < 1 {
		d.fail()
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *dec) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *dec) take(n uint64) []byte {
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

func (d *dec) str() string { return string(d.take(d.uvarint())) }

func (d *dec) bytes() []byte {
	n := d.uvarint()
	if n == 0 || d.err != nil {
		return nil
	}
	// Copy: the record buffer is reused by replay, the store keeps these.
	return append(make([]byte, 0, n-1), d.take(n-1)...)
}

func (d *dec) mutation() store.RowMutation {
	m := store.RowMutation{Keyspace: d.str(), Table: d.str(), Key: d.bytes()}
	n := d.uvarint()
	if n > uint64(len(d.b)) { // every op takes at least one byte
		d.fail()
		return m
	}
	m.Ops = make([]store.Op, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		kind := d.byte()
		op := store.Op{Kind: store.OpKind(kind & opKindMask),
			StartExclusive: kind&opStartExclusive != 0, FinishExclusive: kind&opFinishExclusive != 0}
		op.Super, op.Name, op.Value, op.Start, op.Finish = d.bytes(), d.bytes(), d.bytes(), d.bytes(), d.bytes()
		op.Timestamp = d.varint()
		op.TTL = int32(d.varint())
		op.Delta = d.varint()
		op.LocalTime = d.varint()
		m.Ops = append(m.Ops, op)
	}
	return m
}

func (d *dec) mutations() []store.RowMutation {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	muts := make([]store.RowMutation, 0, n)
	for i := uint64(0); i < n && d.err == nil; i++ {
		muts = append(muts, d.mutation())
	}
	return muts
}

func (d *dec) schemaOp() (schemaOp, error) {
	op := schemaOp{Kind: schema.ChangeKind(d.uvarint()), Keyspace: d.str(), Table: d.str()}
	ks, cf := d.bytes(), d.bytes()
	if d.err != nil {
		return op, d.err
	}
	if ks != nil {
		op.KsDef = tg.NewKsDef()
		if err := thrift.NewTDeserializer().Read(context.Background(), op.KsDef, ks); err != nil {
			return op, fmt.Errorf("%w: KsDef: %v", errBadRecord, err)
		}
	}
	if cf != nil {
		op.CfDef = tg.NewCfDef()
		if err := thrift.NewTDeserializer().Read(context.Background(), op.CfDef, cf); err != nil {
			return op, fmt.Errorf("%w: CfDef: %v", errBadRecord, err)
		}
	}
	return op, nil
}

func (d *dec) schemaOpCQL() (schemaOp, error) {
	b := d.bytes()
	if d.err != nil || b == nil || len(d.b) != 0 {
		return schemaOp{}, errBadRecord
	}
	op := &schema.Op{}
	if err := op.UnmarshalBinary(b); err != nil {
		return schemaOp{}, fmt.Errorf("%w: CQL schema op: %v", errBadRecord, err)
	}
	return schemaOp{CQL: op}, nil
}
