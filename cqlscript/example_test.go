package cqlscript_test

import (
	"fmt"

	"github.com/cassa-go/cassa/cqlscript"
)

func ExampleSplit() {
	script := "USE app; -- switch\nINSERT INTO t (k, v) VALUES (1, 'a;b');\n"
	for _, s := range cqlscript.Split(script) {
		fmt.Printf("line %d: %s\n", s.Line, s.Text)
	}
	// Output:
	// line 1: USE app
	// line 2: INSERT INTO t (k, v) VALUES (1, 'a;b')
}

func ExampleSplitter() {
	sh := cqlscript.Splitter{LineCommands: []string{"HELP", "DESCRIBE"}}
	for _, s := range sh.Split("DESCRIBE KEYSPACES\nSELECT *\n  FROM t;\nSELECT") {
		fmt.Printf("%q terminated=%v\n", s.Text, s.Terminated)
	}
	// Output:
	// "DESCRIBE KEYSPACES" terminated=true
	// "SELECT *\n  FROM t" terminated=true
	// "SELECT" terminated=false
}
