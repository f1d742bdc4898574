package shell_test

import (
	"context"
	"fmt"
	"os"

	"github.com/cassa-go/cassa/internal/shell"
	"github.com/cassa-go/cassa/server"
)

func Example() {
	ctx := context.Background()
	srv, err := server.Start(ctx, server.Config{Addr: "127.0.0.1:0"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer srv.Close()

	sh, err := shell.New(ctx, shell.Config{Servers: []string{srv.Addr()}}, os.Stdout)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer sh.Close(ctx)
	for _, line := range []string{
		"create keyspace Demo; use Demo",
		"create column family Users with comparator = UTF8Type and key_validation_class = UTF8Type " +
			"and column_metadata = [{column_name: age, validation_class: LongType}]",
		"set Users['u1']['age'] = 24; count Users['u1']",
		"set Users['u1']['age'] = 'old'",
	} {
		if err := sh.Exec(ctx, line); err != nil {
			fmt.Println(shell.FormatLineError(err, line))
		}
	}
	// Output:
	// Keyspace Demo created.
	// Authenticated to keyspace: Demo
	// Column family Users created.
	// Value inserted.
	// 1 column
	// error: cannot read 'old' as LongType: malformed value: not an integer
	// set Users['u1']['age'] = 'old'
	//                          ^
}
