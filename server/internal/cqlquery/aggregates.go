package cqlquery

import (
	"encoding/binary"
	"math"
	"math/big"
	"strconv"

	"github.com/cassa-go/cassa/codec"
)

// sum() and avg() for the numeric types (AggregateFcts): the result has
// the argument's type, so integer sums wrap around as Java's arithmetic
// does; integer averages sum in a long and switch to a BigInteger when
// the long would overflow, then truncate; float and double sums and
// averages use Kahan summation in double arithmetic; decimal averages
// keep a running mean rounded half-even at the inputs' scale; an empty
// input gives 0.

// numericKinds are the argument types of sum() and avg(), in the order
// 3.11 declares them.
var numericKinds = []string{"tinyint", "smallint", "int", "bigint", "float", "double", "decimal", "varint", "counter"}

// numericKind is the native name of a numeric type, or "".
func numericKind(t codec.Type) string {
	n := nativeName(t)
	for _, k := range numericKinds {
		if k == n {
			return n
		}
	}
	return ""
}

// numericFunctions lists the sum or avg signatures, for messages.
func numericFunctions(name string) []*function {
	out := make([]*function, len(numericKinds))
	for i, k := range numericKinds {
		t, _ := codec.NativeCQLType(k)
		out[i] = &function{name: name, args: one(t), ret: t}
	}
	return out
}

// sumOf is sum(x) for a numeric type t, nil for other types.
func sumOf(t codec.Type) *function {
	k := numericKind(t)
	if k == "" {
		return nil
	}
	t = base(t)
	return &function{name: "sum", args: one(t), ret: t, newAgg: func() aggregator {
		switch k {
		case "float", "double":
			return &floatSum{float: k == "float"}
		case "decimal":
			return &decimalSum{}
		case "varint":
			return &varintSum{}
		}
		return &intSum{kind: k}
	}}
}

// avgOf is avg(x) for a numeric type t, nil for other types.
func avgOf(t codec.Type) *function {
	k := numericKind(t)
	if k == "" {
		return nil
	}
	t = base(t)
	return &function{name: "avg", args: one(t), ret: t, newAgg: func() aggregator {
		switch k {
		case "float", "double":
			return &floatAvg{float: k == "float"}
		case "decimal":
			return &decimalAvg{}
		case "varint":
			return &varintAvg{}
		}
		return &intAvg{kind: k}
	}}
}

// intValue reads a tinyint, smallint, int, bigint or counter value.
func intValue(b []byte) (int64, bool) {
	switch len(b) {
	case 1:
		return int64(int8(b[0])), true
	case 2:
		return int64(int16(binary.BigEndian.Uint16(b))), true
	case 4:
		return int64(int32(binary.BigEndian.Uint32(b))), true
	case 8:
		return int64(binary.BigEndian.Uint64(b)), true
	}
	return 0, false
}

// appendInt writes v in the width of kind, truncated as Java's narrowing
// casts do.
func appendInt(kind string, v int64) []byte {
	switch kind {
	case "tinyint":
		return []byte{byte(v)}
	case "smallint":
		return binary.BigEndian.AppendUint16(nil, uint16(v))
	case "int":
		return codec.AppendInt32(nil, int32(v))
	}
	return codec.AppendLong(nil, v)
}

// intSum sums in the type's own width (byte, short, int, long).
type intSum struct {
	kind string
	sum  int64
}

func (s *intSum) add(args [][]byte) error {
	if v, ok := intValue(args[0]); ok {
		s.sum += v
		switch s.kind {
		case "tinyint":
			s.sum = int64(int8(s.sum))
		case "smallint":
			s.sum = int64(int16(s.sum))
		case "int":
			s.sum = int64(int32(s.sum))
		}
	}
	return nil
}
func (s *intSum) result() []byte { return appendInt(s.kind, s.sum) }

// intAvg is AvgAggregate: a long sum that turns into a BigInteger on
// overflow.
type intAvg struct {
	kind  string
	sum   int64
	big   *big.Int
	count int64
}

func (a *intAvg) add(args [][]byte) error {
	v, ok := intValue(args[0])
	if !ok {
		return nil
	}
	a.count++
	if a.big != nil {
		a.big.Add(a.big, big.NewInt(v))
		return nil
	}
	prev := a.sum
	a.sum += v
	if (prev^a.sum)&(v^a.sum) < 0 {
		a.big = new(big.Int).Add(big.NewInt(prev), big.NewInt(v))
	}
	return nil
}

func (a *intAvg) result() []byte {
	var avg int64
	switch {
	case a.count == 0:
	case a.big != nil:
		avg = new(big.Int).Quo(a.big, big.NewInt(a.count)).Int64()
	default:
		avg = a.sum / a.count
	}
	return appendInt(a.kind, avg)
}

func floatValue(b []byte) (float64, bool) {
	switch len(b) {
	case 4:
		return float64(math.Float32frombits(binary.BigEndian.Uint32(b))), true
	case 8:
		return math.Float64frombits(binary.BigEndian.Uint64(b)), true
	}
	return 0, false
}

func appendFloat(float bool, f float64) []byte {
	if float {
		return codec.AppendFloat(nil, float32(f))
	}
	return codec.AppendDouble(nil, f)
}

// kahan is a compensated double sum (FloatSumAggregate).
type kahan struct {
	sum, compensation, simple float64
}

func (k *kahan) add(d float64) {
	k.simple += d
	tmp := d - k.compensation
	rounded := k.sum + tmp
	k.compensation = (rounded - k.sum) - tmp
	k.sum = rounded
}

// total fixes a NaN that adding infinities of one sign produced.
func (k *kahan) total() float64 {
	t := k.sum + k.compensation
	if math.IsNaN(t) && math.IsInf(k.simple, 0) {
		return k.simple
	}
	return t
}

type floatSum struct {
	float bool
	k     kahan
}

func (s *floatSum) add(args [][]byte) error {
	if f, ok := floatValue(args[0]); ok {
		s.k.add(f)
	}
	return nil
}
func (s *floatSum) result() []byte { return appendFloat(s.float, s.k.total()) }

// floatAvg is FloatAvgAggregate: a Kahan sum, switching to BigDecimal
// arithmetic when the sum overflows.
type floatAvg struct {
	float bool
	k     kahan
	count int64
	big   *decimal // the exact sum once the double sum overflowed
}

func (a *floatAvg) add(args [][]byte) error {
	f, ok := floatValue(args[0])
	if !ok {
		return nil
	}
	a.count++
	var err error
	if a.big != nil {
		a.big, err = a.big.add(decimalOfDouble(f))
		return err
	}
	prev := a.k.sum
	a.k.add(f)
	if math.IsInf(a.k.sum, 0) && !math.IsInf(f, 0) {
		a.big, err = decimalOfDouble(prev).add(decimalOfDouble(f))
	}
	return err
}

func (a *floatAvg) result() []byte {
	switch {
	case a.count == 0:
		return appendFloat(a.float, 0)
	case a.big != nil:
		return appendFloat(a.float, a.big.divHalfEven(a.count).float64())
	}
	return appendFloat(a.float, a.k.total()/float64(a.count))
}

type varintSum struct{ sum big.Int }

func (s *varintSum) add(args [][]byte) error {
	if args[0] != nil {
		s.sum.Add(&s.sum, bigVarint(args[0]))
	}
	return nil
}
func (s *varintSum) result() []byte { return codec.AppendBigVarint(nil, &s.sum) }

type varintAvg struct {
	sum   big.Int
	count int64
}

func (a *varintAvg) add(args [][]byte) error {
	if args[0] != nil {
		a.sum.Add(&a.sum, bigVarint(args[0]))
		a.count++
	}
	return nil
}

func (a *varintAvg) result() []byte {
	if a.count == 0 {
		return codec.AppendBigVarint(nil, new(big.Int))
	}
	return codec.AppendBigVarint(nil, new(big.Int).Quo(&a.sum, big.NewInt(a.count)))
}

type decimalSum struct{ sum *decimal }

func (s *decimalSum) add(args [][]byte) error {
	d, ok := decodeDecimal(args[0])
	if !ok {
		return nil
	}
	if s.sum == nil {
		s.sum = &decimal{unscaled: new(big.Int)}
	}
	var err error
	s.sum, err = s.sum.add(d)
	return err
}

func (s *decimalSum) result() []byte {
	if s.sum == nil {
		return (&decimal{unscaled: new(big.Int)}).bytes()
	}
	return s.sum.bytes()
}

// decimalAvg keeps avg += (value - avg) / count, each division rounded
// half-even at the scale of its dividend.
type decimalAvg struct {
	avg   *decimal
	count int64
}

func (a *decimalAvg) add(args [][]byte) error {
	d, ok := decodeDecimal(args[0])
	if !ok {
		return nil
	}
	a.count++
	if a.avg == nil {
		a.avg = &decimal{unscaled: new(big.Int)}
	}
	diff, err := d.sub(a.avg)
	if err != nil {
		return err
	}
	a.avg, err = a.avg.add(diff.divHalfEven(a.count))
	return err
}

func (a *decimalAvg) result() []byte {
	if a.avg == nil {
		return (&decimal{unscaled: new(big.Int)}).bytes()
	}
	return a.avg.bytes()
}

// decimal is a BigDecimal: unscaled × 10^-scale.
type decimal struct {
	unscaled *big.Int
	scale    int32
}

func decodeDecimal(b []byte) (*decimal, bool) {
	if len(b) < 4 {
		return nil, false
	}
	return &decimal{unscaled: bigVarint(b[4:]), scale: int32(binary.BigEndian.Uint32(b))}, true
}

func (d *decimal) bytes() []byte {
	return codec.AppendBigVarint(codec.AppendInt32(nil, d.scale), d.unscaled)
}

var bigTen = big.NewInt(10)

// maxRescale bounds how far apart the scales of two decimals added may
// be: aligning them multiplies by a power of ten that large, and a
// hostile value could ask for 10^(2^31).
const maxRescale = 1 << 16

// errDecimalScale refuses an addition maxRescale forbids.
var errDecimalScale = invalid("Decimal values too far apart in scale to add")

// rescaled returns d's unscaled value at a larger scale.
func (d *decimal) rescaled(scale int32) *big.Int {
	if scale == d.scale {
		return d.unscaled
	}
	f := new(big.Int).Exp(bigTen, big.NewInt(int64(scale)-int64(d.scale)), nil)
	return f.Mul(f, d.unscaled)
}

// add is BigDecimal.add: the result has the larger scale.
func (d *decimal) add(e *decimal) (*decimal, error) {
	if int64(d.scale)-int64(e.scale) > maxRescale || int64(e.scale)-int64(d.scale) > maxRescale {
		return nil, errDecimalScale
	}
	s := max(d.scale, e.scale)
	return &decimal{unscaled: new(big.Int).Add(d.rescaled(s), e.rescaled(s)), scale: s}, nil
}

func (d *decimal) sub(e *decimal) (*decimal, error) {
	if int64(d.scale)-int64(e.scale) > maxRescale || int64(e.scale)-int64(d.scale) > maxRescale {
		return nil, errDecimalScale
	}
	s := max(d.scale, e.scale)
	return &decimal{unscaled: new(big.Int).Sub(d.rescaled(s), e.rescaled(s)), scale: s}, nil
}

// divHalfEven is BigDecimal.divide(BigDecimal.valueOf(n),
// RoundingMode.HALF_EVEN): the quotient at d's scale.
func (d *decimal) divHalfEven(n int64) *decimal {
	den := big.NewInt(n)
	q, r := new(big.Int).QuoRem(d.unscaled, den, new(big.Int))
	if r.Sign() != 0 {
		// Compare 2|r| with |n|; round half to even.
		twice := new(big.Int).Abs(r)
		twice.Lsh(twice, 1)
		c := twice.Cmp(new(big.Int).Abs(den))
		if c > 0 || (c == 0 && q.Bit(0) == 1) {
			if (d.unscaled.Sign() < 0) != (n < 0) {
				q.Sub(q, big.NewInt(1))
			} else {
				q.Add(q, big.NewInt(1))
			}
		}
	}
	return &decimal{unscaled: q, scale: d.scale}
}

// float64 is BigDecimal.doubleValue: the nearest double.
func (d *decimal) float64() float64 {
	f, _ := strconv.ParseFloat(d.unscaled.String()+"e"+strconv.Itoa(-int(d.scale)), 64)
	return f
}

// decimalOfDouble is BigDecimal.valueOf(double): the decimal of
// Double.toString.
func decimalOfDouble(f float64) *decimal {
	b, ok := parseBigDecimal(javaDouble(f))
	if !ok {
		return &decimal{unscaled: new(big.Int)}
	}
	d, _ := decodeDecimal(b)
	return d
}

// bigVarint decodes a varint; the empty value reads as 0.
func bigVarint(b []byte) *big.Int {
	if v := codec.DecodeBigVarint(b); v != nil {
		return v
	}
	return new(big.Int)
}
