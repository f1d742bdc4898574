package cqlparse_test

import (
	"errors"
	"fmt"

	"github.com/cassa-go/cassa/server/internal/cqlparse"
)

func ExampleParse() {
	p, err := cqlparse.Parse(`select Name, "Email" FROM app.Users WHERE id = ? AND org IN :orgs LIMIT 10;`)
	if err != nil {
		panic(err)
	}
	s := p.Statement.(*cqlparse.SelectStmt)
	fmt.Println(s.Table.Keyspace.Name, s.Table.Name.Name)
	for _, m := range p.Markers {
		fmt.Printf("marker %d %q\n", m.Index, m.Name.Name)
	}
	fmt.Println(s)
	// Output:
	// app users
	// marker 0 ""
	// marker 1 "orgs"
	// SELECT name, "Email" FROM app.users WHERE id = ? AND org IN :orgs LIMIT 10
}

func ExampleParse_syntaxError() {
	_, err := cqlparse.Parse("SELECT * FORM t")
	var se *cqlparse.SyntaxError
	if errors.As(err, &se) {
		fmt.Println(se.Line, se.Column)
		fmt.Println(se.Message)
	}
	// Output:
	// 1 9
	// line 1:9 mismatched input 'FORM' expecting K_FROM (SELECT * [FORM]...)
}
