package codec

import (
	"fmt"
	"strings"
	"sync"
)

// Factory builds a parameterised custom type from the type parameters in a
// class name: "com.example.PairType(LongType,UTF8Type)" calls the factory
// registered for com.example.PairType with [Long, UTF8].
type Factory func(params []Type) (Type, error)

// CustomType is a user type: stored, ordered and validated like Base, but
// packed and unpacked with its own functions (pycassa's CassandraType
// subclasses with pack/unpack). Register it to make Parse know its class.
type CustomType struct {
	// Name is the class name; a name without a dot is placed in
	// org.apache.cassandra.db.marshal, as Cassandra does.
	Name string
	// Base orders and validates the bytes; nil means BytesType.
	Base Type
	// PackFunc packs a value; nil means Base's Pack.
	PackFunc func(v any) ([]byte, error)
	// UnpackFunc unpacks bytes; nil means Base's Unpack.
	UnpackFunc func(b []byte) (any, error)
}

func (c *CustomType) base() Type {
	if c.Base == nil {
		return Bytes
	}
	return c.Base
}

// Class returns Name, fully qualified.
func (c *CustomType) Class() string { return qualify(c.Name) }

// Pack calls PackFunc (errors are wrapped in *Error).
func (c *CustomType) Pack(v any) ([]byte, error) { return c.PackBound(v, NoBound) }

// PackBound calls PackFunc, or Base's PackBound when PackFunc is nil.
func (c *CustomType) PackBound(v any, b Bound) ([]byte, error) {
	if c.PackFunc == nil {
		return c.base().PackBound(v, b)
	}
	out, err := c.PackFunc(v)
	if err != nil {
		return nil, packErr(c, v, err)
	}
	return out, nil
}

// Unpack calls UnpackFunc, or Base's Unpack when it is nil.
func (c *CustomType) Unpack(b []byte) (any, error) {
	if c.UnpackFunc == nil {
		return c.base().Unpack(b)
	}
	v, err := c.UnpackFunc(b)
	if err != nil {
		return nil, unpackErr(c, b, err)
	}
	return v, nil
}

// Compare orders as Base.
func (c *CustomType) Compare(a, b []byte) int { return c.base().Compare(a, b) }

// Validate validates as Base.
func (c *CustomType) Validate(b []byte) error { return c.base().Validate(b) }

func qualify(class string) string {
	if strings.Contains(class, ".") {
		return class
	}
	return marshalPkg + class
}

// registry maps fully qualified class names to user types and factories.
var registry = struct {
	sync.RWMutex
	m map[string]any // Type or Factory
}{m: map[string]any{}}

// Register makes Parse know a user type. class is a short name (placed in
// org.apache.cassandra.db.marshal) or a fully qualified one; impl is a Type
// (used as is; "X(reversed=true)" gives Reversed(impl)) or a Factory (or a
// func([]Type) (Type, error)) that receives the type parameters. A built-in
// or already registered class cannot be registered again.
func Register(class string, impl any) error {
	if !validClassName(class) {
		return fmt.Errorf("codec: register %q: not a Java class name", class)
	}
	fq := qualify(class)
	switch f := impl.(type) {
	case Type:
		if f == nil {
			return fmt.Errorf("codec: register %q: nil type", class)
		}
	case Factory:
		if f == nil {
			return fmt.Errorf("codec: register %q: nil factory", class)
		}
	case func([]Type) (Type, error):
		if f == nil {
			return fmt.Errorf("codec: register %q: nil factory", class)
		}
		impl = Factory(f)
	default:
		return fmt.Errorf("codec: register %q: %T is neither a Type nor a Factory", class, impl)
	}
	if _, ok := builtins[fq]; ok {
		return fmt.Errorf("codec: register %q: a built-in type has that class", class)
	}
	registry.Lock()
	defer registry.Unlock()
	if _, ok := registry.m[fq]; ok {
		return fmt.Errorf("codec: register %q: already registered", class)
	}
	registry.m[fq] = impl
	return nil
}

func lookupRegistered(fq string) (any, bool) {
	registry.RLock()
	defer registry.RUnlock()
	v, ok := registry.m[fq]
	return v, ok
}

func validClassName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isIdentChar(s[i]) {
			return false
		}
	}
	return true
}
