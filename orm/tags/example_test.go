package tags_test

import (
	"errors"
	"fmt"
	"reflect"

	"github.com/cassa-go/cassa/codec"
	"github.com/cassa-go/cassa/orm/tags"
)

func ExampleParseStruct() {
	type Base struct {
		Created int64 `cass:"created,type=Long"`
	}
	type User struct {
		Base
		ID    string            `cass:",key"`
		State string            `cass:"state,index"`
		Age   int               `cass:"age,type=Integer,default=0"`
		Tags  string            `cass:"tags,default='a,b'"`
		Extra map[string][]byte `cass:",raw"`
		cache int
	}
	s, err := tags.ParseStruct(reflect.TypeFor[User]())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("key:", s.Key.GoName, codec.ShortName(s.Key.Type))
	for _, f := range s.Columns {
		fmt.Println(f.Name, codec.ShortName(f.Type), f.Indexed, f.Default)
	}
	// Output:
	// key: ID UTF8Type
	// created LongType false <nil>
	// state UTF8Type true <nil>
	// age IntegerType false 0
	// tags UTF8Type false a,b
}

func ExampleParse_error() {
	_, err := tags.Parse("User", "Name", reflect.TypeFor[string](), "name,type=Long")
	fmt.Println(err)
	fmt.Println(errors.Is(err, tags.ErrType))
	// Output:
	// tags: User.Name (cass:"name,type=Long"): type=Long (LongType) cannot be stored in a Go string
	// true
}

func ExampleParseType() {
	t, _ := tags.ParseType("Composite(Long,Reversed(utf8))")
	fmt.Println(t.Class())
	// Output:
	// org.apache.cassandra.db.marshal.CompositeType(org.apache.cassandra.db.marshal.LongType,org.apache.cassandra.db.marshal.ReversedType(org.apache.cassandra.db.marshal.UTF8Type))
}
