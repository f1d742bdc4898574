package cqlquery

import (
	"encoding/binary"
	"encoding/hex"
	"strings"

	"github.com/google/uuid"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/partitioner"
	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

// Native functions (keyspace "system"): token(), the time and UUID
// functions of TimeFcts and UuidFcts, the blob conversions of
// BytesConversionFcts, and the aggregates of AggregateFcts the selection
// supports. A function is resolved by name and argument types as
// FunctionResolver does.

// function is one native function (a Cassandra Function).
type function struct {
	name string // lower case, without the keyspace
	args []codec.Type
	ret  codec.Type
	// exec computes a scalar function; a nil argument is null, and
	// every function here returns null on a null argument.
	exec func(c *bindCtx, args [][]byte) ([]byte, error)
	// newAgg makes the state of an aggregate; nil for scalar functions.
	newAgg func() aggregator
}

func (f *function) aggregate() bool { return f.newAgg != nil }

// fullName is FunctionName.toString: "system.now".
func (f *function) fullName() string { return "system." + f.name }

// String is AbstractFunction.toString, as function errors list
// signatures.
func (f *function) String() string {
	var sb strings.Builder
	sb.WriteString(f.fullName())
	sb.WriteString(" : (")
	for i, a := range f.args {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(codec.CQLName(a))
	}
	sb.WriteString(") -> ")
	sb.WriteString(codec.CQLName(f.ret))
	return sb.String()
}

// aggregator accumulates the inputs of an aggregate over the rows of a
// query.
type aggregator interface {
	add(args [][]byte) error
	result() []byte
}

// gregorianOffset is the number of 100 ns intervals between 1582-10-15
// and 1970-01-01 (UUIDGen.START_EPOCH).
const gregorianOffset = 0x01B21DD213814000

// timeUUIDBytes is UUIDGen's createTime with the given clock and node.
func timeUUIDBytes(ts100ns int64, lsb uint64) []byte {
	msb := uint64(ts100ns&0xFFFFFFFF)<<32 | uint64(ts100ns&0xFFFF00000000)>>16 | uint64(ts100ns)>>48&0x0FFF | 0x1000
	out := binary.BigEndian.AppendUint64(nil, msb)
	return binary.BigEndian.AppendUint64(out, lsb)
}

// uuidMillis is UUIDGen.unixTimestamp of a version 1 UUID.
func uuidMillis(b []byte) int64 {
	msb := binary.BigEndian.Uint64(b)
	ts := int64((msb&0x0FFF)<<48 | (msb>>16&0xFFFF)<<32 | msb>>32)
	return (ts - gregorianOffset) / 10000
}

// millisToDays is SimpleDateSerializer.timeInMillisToDay (days truncated
// toward zero, then shifted by 2^31).
func millisToDays(ms int64) []byte {
	return binary.BigEndian.AppendUint32(nil, uint32(ms/86400000+1<<31))
}

func daysToMillis(b []byte) int64 {
	return (int64(binary.BigEndian.Uint32(b)) - 1<<31) * 86400000
}

func long(v int64) []byte { return codec.AppendLong(nil, v) }

// scalar builds a function that returns null on a null argument.
func scalar(name string, ret codec.Type, args []codec.Type, f func(c *bindCtx, args [][]byte) ([]byte, error)) *function {
	return &function{name: name, args: args, ret: ret, exec: func(c *bindCtx, a [][]byte) ([]byte, error) {
		for i, v := range a {
			if v == nil || (len(v) == 0 && len(args) > 0) {
				return nil, nil
			}
			// Stored values are valid; a value that is not (a Thrift
			// write, a cast's input) fails as compose would.
			if err := args[i].Validate(v); err != nil {
				return nil, invalid(marshalMessage(err))
			}
		}
		return f(c, a)
	}}
}

func one(t codec.Type) []codec.Type { return []codec.Type{t} }

var nativeFunctions = func() map[string][]*function {
	m := map[string][]*function{}
	add := func(f *function) { m[f.name] = append(m[f.name], f) }
	add(&function{name: "now", ret: codec.TimeUUID, exec: func(c *bindCtx, _ [][]byte) ([]byte, error) {
		return c.env.listIDs().Append(1)[0], nil
	}})
	add(&function{name: "uuid", ret: codec.UUID, exec: func(*bindCtx, [][]byte) ([]byte, error) {
		u := uuid.New()
		return u[:], nil
	}})
	add(scalar("mintimeuuid", codec.TimeUUID, one(codec.Timestamp), func(_ *bindCtx, a [][]byte) ([]byte, error) {
		ms := int64(binary.BigEndian.Uint64(a[0]))
		return timeUUIDBytes(ms*10000+gregorianOffset, 0x8080808080808080), nil
	}))
	add(scalar("maxtimeuuid", codec.TimeUUID, one(codec.Timestamp), func(_ *bindCtx, a [][]byte) ([]byte, error) {
		ms := int64(binary.BigEndian.Uint64(a[0]))
		return timeUUIDBytes((ms+1)*10000+gregorianOffset-1, 0x7f7f7f7f7f7f7f7f), nil
	}))
	uuidTime := func(name string, ret codec.Type, conv func(ms int64) []byte) {
		add(scalar(name, ret, one(codec.TimeUUID), func(_ *bindCtx, a [][]byte) ([]byte, error) {
			return conv(uuidMillis(a[0])), nil
		}))
	}
	uuidTime("dateof", codec.Timestamp, long)
	uuidTime("unixtimestampof", codec.Long, long)
	uuidTime("todate", codec.SimpleDate, millisToDays)
	uuidTime("totimestamp", codec.Timestamp, long)
	uuidTime("tounixtimestamp", codec.Long, long)
	add(scalar("todate", codec.SimpleDate, one(codec.Timestamp), func(_ *bindCtx, a [][]byte) ([]byte, error) {
		return millisToDays(int64(binary.BigEndian.Uint64(a[0]))), nil
	}))
	add(scalar("totimestamp", codec.Timestamp, one(codec.SimpleDate), func(_ *bindCtx, a [][]byte) ([]byte, error) {
		return long(daysToMillis(a[0])), nil
	}))
	add(scalar("tounixtimestamp", codec.Long, one(codec.Timestamp), func(_ *bindCtx, a [][]byte) ([]byte, error) {
		return a[0], nil
	}))
	add(scalar("tounixtimestamp", codec.Long, one(codec.SimpleDate), func(_ *bindCtx, a [][]byte) ([]byte, error) {
		return long(daysToMillis(a[0])), nil
	}))
	for _, name := range []string{"ascii", "bigint", "boolean", "counter", "date", "decimal", "double", "duration",
		"float", "inet", "int", "smallint", "text", "time", "timestamp", "timeuuid", "tinyint", "uuid", "varchar", "varint"} {
		t, _ := codec.NativeCQLType(name)
		add(&function{name: name + "asblob", args: one(t), ret: codec.Bytes,
			exec: func(_ *bindCtx, a [][]byte) ([]byte, error) { return a[0], nil }})
		fn := &function{name: "blobas" + name, args: one(codec.Bytes), ret: t}
		fn.exec = func(_ *bindCtx, a [][]byte) ([]byte, error) {
			if a[0] == nil {
				return nil, nil
			}
			if err := t.Validate(a[0]); err != nil {
				return nil, invalidf("In call to function %s, value 0x%s is not a valid binary representation for type %s",
					fn.fullName(), hex.EncodeToString(a[0]), codec.CQLName(t))
			}
			return a[0], nil
		}
		add(fn)
	}
	return m
}()

// countRows is count(*) and count(<literal>) (AggregateFcts.countRowsFunction).
var countRows = &function{name: "countRows", ret: codec.Long, newAgg: func() aggregator { return &counter{} }}

type counter struct {
	n       int64
	columns bool // count(x): count non-null inputs
}

func (c *counter) add(args [][]byte) error {
	if !c.columns || args[0] != nil {
		c.n++
	}
	return nil
}
func (c *counter) result() []byte { return long(c.n) }

// countOf is count(x) for a column of type t.
func countOf(t codec.Type) *function {
	return &function{name: "count", args: one(t), ret: codec.Long, newAgg: func() aggregator { return &counter{columns: true} }}
}

// extreme is min(x) or max(x): the smallest or largest non-null input in
// the type's order.
type extreme struct {
	t   codec.Type
	max bool
	v   []byte
}

func (e *extreme) add(args [][]byte) error {
	a := args[0]
	if a == nil {
		return nil
	}
	if e.v == nil || (e.max && e.t.Compare(a, e.v) > 0) || (!e.max && e.t.Compare(a, e.v) < 0) {
		e.v = append([]byte{}, a...)
	}
	return nil
}
func (e *extreme) result() []byte { return e.v }

func extremeOf(name string, t codec.Type) *function {
	cmp := t
	if isCounterType(t) {
		cmp = codec.Long // minFunctionForCounter compares longs
	}
	return &function{name: name, args: one(t), ret: t, newAgg: func() aggregator { return &extreme{t: cmp, max: name == "max"} }}
}

// tokenFunction is TokenFct for the table: the partition key columns as
// arguments, the partitioner's token type as result.
func tokenFunction(tb *table, p partitioner.Partitioner) *function {
	args := make([]codec.Type, len(tb.pk))
	for i, c := range tb.pk {
		args[i] = c.typ
	}
	return &function{name: "token", args: args, ret: tokenType(p), exec: func(c *bindCtx, a [][]byte) ([]byte, error) {
		for _, v := range a {
			if v == nil {
				return nil, nil
			}
		}
		key, err := tb.lay.PartitionKey(a)
		if err != nil {
			return nil, toError(err)
		}
		return tokenBytes(p.Token(key)), nil
	}}
}

// functionName renders a written function name as FunctionName.toString.
func functionName(q cqlparse.QualifiedName) string {
	if q.Keyspace.Name != "" {
		return q.Keyspace.Name + "." + q.Name.Name
	}
	return q.Name.Name
}

// nativeCandidates returns the native functions a written name can mean.
func nativeCandidates(q cqlparse.QualifiedName) []*function {
	if q.Keyspace.Name != "" && q.Keyspace.Name != "system" {
		return nil
	}
	name := q.Name.Name
	if !q.Name.Quoted {
		name = strings.ToLower(name)
	}
	return nativeFunctions[name]
}

// isNative reports whether the written name is the native function n.
func isNative(q cqlparse.QualifiedName, n string) bool {
	if q.Keyspace.Name != "" && q.Keyspace.Name != "system" {
		return false
	}
	if q.Name.Quoted {
		return q.Name.Name == n
	}
	return strings.EqualFold(q.Name.Name, n)
}

// resolveFunction is FunctionResolver.get for a function call in a term:
// nil, nil when no function has the name.
func resolveFunction(p *prep, x *cqlparse.FunctionCall, r *receiver) (*function, error) {
	if isNative(x.Name, "token") {
		if p.tb == nil {
			return nil, nil
		}
		return tokenFunction(p.tb, p.env.partitioner()), nil
	}
	if isNative(x.Name, "tojson") {
		return nil, invalid("toJson() may only be used within the selection clause of SELECT statements")
	}
	if isNative(x.Name, "fromjson") {
		if len(x.Args) != 1 {
			return nil, invalidf("Invalid number of arguments in call to function system.fromjson: 1 required but %d provided", len(x.Args))
		}
		return fromJSONFunction(r.typ), nil
	}
	cands := nativeCandidates(x.Name)
	if len(cands) == 0 {
		return nil, nil
	}
	if len(cands) == 1 {
		f := cands[0]
		if len(f.args) != len(x.Args) {
			return nil, invalidf("Invalid number of arguments in call to function %s: %d required but %d provided",
				f.fullName(), len(f.args), len(x.Args))
		}
		for i, a := range x.Args {
			spec := argSpec(r, f, i)
			if testAssignment(p, a, spec) == notAssignable {
				return nil, invalidf("Type error: %s cannot be passed as argument %d of function %s of type %s",
					termText(a), i, f.fullName(), codec.CQLName(spec.typ))
			}
		}
		return f, nil
	}
	var compatible []*function
	for _, f := range cands {
		switch matchArguments(p, f, x.Args, r) {
		case exactMatch:
			return f, nil
		case weaklyAssignable:
			compatible = append(compatible, f)
		}
	}
	if len(compatible) == 0 {
		return nil, invalidf("Invalid call to function %s, none of its type signatures match (known type signatures: %s)",
			functionName(x.Name), formatFunctions(cands))
	}
	if len(compatible) > 1 {
		return nil, invalidf("Ambiguous call to function %s (can be matched by following signatures: %s): use type casts to disambiguate",
			functionName(x.Name), formatFunctions(compatible))
	}
	return compatible[0], nil
}

func formatFunctions(fs []*function) string {
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.String()
	}
	return strings.Join(parts, ", ")
}

func matchArguments(p *prep, f *function, args []cqlparse.Term, r *receiver) assignability {
	if len(f.args) != len(args) {
		return notAssignable
	}
	res := exactMatch
	for i, a := range args {
		switch testAssignment(p, a, argSpec(r, f, i)) {
		case notAssignable:
			return notAssignable
		case weaklyAssignable:
			res = weaklyAssignable
		}
	}
	return res
}

// argSpec is FunctionResolver.makeArgSpec: "arg0(system.token)".
func argSpec(r *receiver, f *function, i int) *receiver {
	return &receiver{ks: r.ks, table: r.table, name: "arg" + itoa(i) + "(" + strings.ToLower(f.fullName()) + ")", typ: f.args[i]}
}

// callTerm is a scalar function applied to terms (FunctionCall).
type callTerm struct {
	fn   *function
	args []term
}

func (t *callTerm) containsMarker() bool {
	for _, a := range t.args {
		if a.containsMarker() {
			return true
		}
	}
	return false
}

func (t *callTerm) bind(c *bindCtx) (Value, error) {
	vals := make([][]byte, len(t.args))
	for i, a := range t.args {
		v, err := a.bind(c)
		if err != nil {
			return Value{}, err
		}
		if v.Unset {
			return Value{}, invalidf("Invalid unset value for argument in call to function %s", t.fn.name)
		}
		vals[i] = v.Bytes
	}
	out, err := t.fn.exec(c, vals)
	if err != nil {
		return Value{}, err
	}
	return Value{Bytes: out}, nil
}

// prepareCall is FunctionCall.Raw.prepare.
func (p *prep) prepareCall(x *cqlparse.FunctionCall, r *receiver) (term, error) {
	fn, err := resolveFunction(p, x, r)
	if err != nil {
		return nil, err
	}
	if fn == nil {
		return nil, invalidf("Unknown function %s called", functionName(x.Name))
	}
	if fn.aggregate() {
		return nil, invalid("Aggregation function are not supported in the where clause")
	}
	if !sameType(r.typ, fn.ret) && !valueCompatible(r.typ, fn.ret) {
		return nil, invalidf("Type error: cannot assign result of function %s (type %s) to %s (type %s)",
			fn.fullName(), codec.CQLName(fn.ret), r.name, codec.CQLName(r.typ))
	}
	if len(fn.args) != len(x.Args) {
		return nil, invalidf("Incorrect number of arguments specified for function %s (expected %d, found %d)",
			fn, len(fn.args), len(x.Args))
	}
	args := make([]term, len(x.Args))
	for i, a := range x.Args {
		t, err := p.prepareTerm(a, argSpec(r, fn, i))
		if err != nil {
			return nil, err
		}
		args[i] = t
	}
	return &callTerm{fn: fn, args: args}, nil
}
