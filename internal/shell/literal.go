package shell

import (
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cassa-go/cassa/codec"
	"github.com/google/uuid"
)

// functions are cassandra-cli's conversion functions: each names the type
// its argument is read as, whatever the column family declares.
var functions = map[string]codec.Type{
	"ascii":       codec.Ascii,
	"bytes":       codec.Bytes,
	"utf8":        codec.UTF8,
	"long":        codec.Long,
	"int":         codec.Int32,
	"int32":       codec.Int32,
	"integer":     codec.Integer,
	"varint":      codec.Integer,
	"double":      codec.Double,
	"float":       codec.Float,
	"decimal":     codec.Decimal,
	"boolean":     codec.Boolean,
	"date":        codec.Date,
	"timestamp":   codec.Timestamp,
	"uuid":        codec.UUID,
	"timeuuid":    codec.TimeUUID,
	"lexicaluuid": codec.LexicalUUID,
	"inet":        codec.InetAddress,
}

func functionNames() string {
	names := make([]string, 0, len(functions))
	for n := range functions {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// ValueError is a literal that cannot be read as the type it must have.
type ValueError struct {
	Lit  Literal
	Type string // short type name
	Err  error
}

// Error names the literal, the type and why it does not fit.
func (e *ValueError) Error() string {
	// codec's messages repeat the type and the value ("codec: LongType:
	// cannot parse string ..."); say each once.
	msg := strings.TrimPrefix(e.Err.Error(), "codec: "+e.Type+": ")
	var ce *codec.Error
	if errors.As(e.Err, &ce) && ce.Err != nil {
		msg = ce.Err.Error()
	}
	lit := e.Lit.String()
	if len(lit) > codec.KeyExcerpt {
		lit = codec.FormatKeyValue(nil, e.Lit.Text) // cut, as keys are
	}
	return fmt.Sprintf("cannot read %s as %s: %s", lit, e.Type, msg)
}

// Unwrap returns the codec error.
func (e *ValueError) Unwrap() error { return e.Err }

// baseType strips ReversedType: literals read the same either way.
func baseType(t codec.Type) codec.Type {
	if r, ok := t.(*codec.ReversedType); ok {
		return r.Base()
	}
	return t
}

// isBytesType reports whether t is BytesType (reversed or not).
func isBytesType(t codec.Type) bool {
	return baseType(t).Class() == codec.Bytes.Class()
}

// Pack turns a literal into the bytes Cassandra stores, reading it as t
// (the column family's key, name or value type), or as the type its
// function names. Quoted and bare text under BytesType are taken as their
// UTF-8 bytes, as pycassa packs a str, rather than as hex (use bytes('0aff')
// or 0x0aff for hex). now is the clock for timeuuid() and friends.
func Pack(lit Literal, t codec.Type, now time.Time) ([]byte, error) {
	if t == nil {
		t = codec.Bytes
	}
	switch lit.Kind {
	case LitHex:
		b, err := hex.DecodeString(evenHex(lit.Text))
		if err != nil {
			return nil, &ValueError{Lit: lit, Type: "bytes", Err: err}
		}
		return b, nil
	case LitFunc:
		ft := functions[lit.Func]
		if ft == nil {
			return nil, &ValueError{Lit: lit, Type: lit.Func, Err: fmt.Errorf("unknown function")}
		}
		if lit.Arg == nil {
			return packNoArg(lit, ft, now)
		}
		if lit.Arg.Kind == LitHex {
			// long(0x..) and friends: the bytes as they are.
			return Pack(*lit.Arg, ft, now)
		}
		return fromString(lit, ft, lit.Arg.Text)
	}
	if isBytesType(t) {
		return []byte(lit.Text), nil
	}
	return fromString(lit, t, lit.Text)
}

func fromString(lit Literal, t codec.Type, s string) ([]byte, error) {
	b, err := codec.FromString(t, s)
	if err != nil {
		return nil, &ValueError{Lit: lit, Type: codec.ShortName(t), Err: err}
	}
	return b, nil
}

// packNoArg handles timeuuid(), uuid(), lexicaluuid(), date() and
// timestamp(): a fresh value for now.
func packNoArg(lit Literal, ft codec.Type, now time.Time) ([]byte, error) {
	switch lit.Func {
	case "timeuuid", "uuid":
		u, err := codec.RandomTimeUUID(now)
		if err != nil {
			return nil, &ValueError{Lit: lit, Type: codec.ShortName(ft), Err: err}
		}
		return u[:], nil
	case "lexicaluuid":
		u := uuid.New()
		return u[:], nil
	case "date", "timestamp":
		return codec.AppendTimestamp(nil, now)
	}
	return nil, &ValueError{Lit: lit, Type: codec.ShortName(ft), Err: fmt.Errorf("%s() needs an argument", lit.Func)}
}

func evenHex(s string) string {
	if len(s)%2 == 1 {
		return "0" + s
	}
	return s
}
