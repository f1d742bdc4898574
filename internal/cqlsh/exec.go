package cqlsh

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	gocql "github.com/apache/cassandra-gocql-driver/v2"
)

// runStatement runs one statement: a cqlsh command, USE, or CQL sent to
// the node. Errors are printed; it returns only ErrQuit and errors that
// end the input.
func (s *Shell) runStatement(ctx context.Context, text string) error {
	cmd := strings.ToLower(firstWord(text))
	switch cmd {
	case "?", "help":
		s.doHelp(text)
	case "exit", "quit":
		if len(words(text)) > 1 {
			s.printErr(fmt.Sprintf("Improper %s command.", firstWord(text)))
			return nil
		}
		return ErrQuit
	case "use":
		s.doUse(ctx, text)
	case "consistency":
		s.doConsistency(text)
	case "serial":
		s.doSerialConsistency(text)
	case "paging":
		s.doPaging(text)
	case "expand":
		s.doExpand(text)
	case "tracing":
		s.doTracing(text)
	case "show":
		s.doShow(ctx, text)
	case "describe", "desc":
		s.doDescribe(ctx, text)
	case "source":
		return s.doSource(ctx, text)
	case "capture":
		s.doCapture(text)
	case "copy":
		s.doCopy(ctx, text)
	case "login":
		s.doLogin(ctx, text)
	case "clear", "cls":
		fmt.Fprint(s.console, "\033[H\033[2J")
	default:
		s.perform(ctx, text)
	}
	return nil
}

// perform sends a CQL statement and prints its result: for SELECT (and
// LIST) the rows and their count, for a lightweight transaction the row
// the node answered with; then the node's warnings.
func (s *Shell) perform(ctx context.Context, stmt string) bool {
	pageSize := 0
	if s.paging {
		pageSize = s.pageSize
	}
	it := s.gs.Query(stmt).WithContext(ctx).Consistency(s.consistency).SerialConsistency(s.serial).PageSize(pageSize).Iter()
	first := strings.ToLower(firstWord(stmt))
	cols := it.Columns()
	warnings := it.Warnings() // the response's; gone once the iterator is closed
	var err error
	switch {
	case len(cols) > 0 && (first == "select" || first == "list"):
		err = s.printResult(ctx, it, cols)
	case len(cols) > 0:
		rows, _ := readRows(it, cols, false)
		if err = it.Close(); err == nil && len(rows) > 0 {
			// A lightweight transaction's [applied] row.
			s.writeResult("")
			s.printStatic(ctx, cols, rows)
		}
	default:
		err = it.Close()
	}
	switch first {
	case "create", "drop", "alter":
		s.names = nil // completion reads the schema again
	}
	if err != nil {
		if ctx.Err() == nil {
			s.printErr(errorText(err))
			s.caret(stmt, err)
		}
		return false
	}
	s.printWarnings(warnings)
	return true
}

var syntaxPosRE = regexp.MustCompile(`^line (\d+):(\d+) `)

// caret shows, at a terminal, where a syntax error is: the statement's
// line with a caret under the column the node names (cqlsh prints the
// message only; scripts get exactly that).
func (s *Shell) caret(stmt string, err error) {
	var se *gocql.RequestErrSyntax
	if !s.cfg.Interactive || !errors.As(err, &se) {
		return
	}
	m := syntaxPosRE.FindStringSubmatch(se.Message())
	if m == nil {
		return
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	lines := strings.Split(stmt, "\n")
	if line < 1 || line > len(lines) || col > len(lines[line-1]) {
		return
	}
	text := lines[line-1]
	fmt.Fprintln(s.errOut, "  "+text)
	fmt.Fprintln(s.errOut, "  "+strings.Repeat(" ", displayWidth(text[:col]))+"^")
}

// printResult is cqlsh's print_result: a blank line, the rows (page by
// page with a ---MORE--- prompt at a terminal), and "(N rows)".
func (s *Shell) printResult(ctx context.Context, it *gocql.Iter, cols []gocql.ColumnInfo) error {
	f := newFormatter(s.color)
	s.writeResult("")
	total := 0
	if s.cfg.Interactive {
		for {
			rows, more := readRows(it, cols, true)
			total += len(rows)
			if len(rows) > 0 || !more {
				s.printRows(ctx, f, cols, rows)
			}
			if !more || ctx.Err() != nil {
				break
			}
			if _, err := s.readInput("---MORE---"); err != nil {
				_ = it.Close()
				fmt.Fprintln(s.console)
				return nil
			}
		}
	} else {
		rows, _ := readRows(it, cols, false)
		total = len(rows)
		s.printRows(ctx, f, cols, rows)
	}
	if err := it.Close(); err != nil {
		return err
	}
	s.writeResult(fmt.Sprintf("(%d rows)", total))
	for i, e := range f.errs {
		if i == 2 {
			s.writeResult(s.applyColor(fmt.Sprintf("%d more decoding errors suppressed.", len(f.errs)-2), ansiRed))
			break
		}
		s.writeResult(s.applyColor(e, ansiRed))
	}
	return nil
}

// printStatic prints rows without the count (cqlsh's print_static_result).
func (s *Shell) printStatic(ctx context.Context, cols []gocql.ColumnInfo, rows [][]cell) {
	s.printRows(ctx, newFormatter(s.color), cols, rows)
}

func (s *Shell) printRows(ctx context.Context, f *formatter, cols []gocql.ColumnInfo, rows [][]cell) {
	names := s.columnNames(ctx, cols)
	if len(rows) == 0 {
		s.printTable(names, nil)
		return
	}
	values := make([][]formatted, len(rows))
	for i, r := range rows {
		values[i] = make([]formatted, len(r))
		for j, c := range r {
			values[i][j] = f.value(c)
		}
	}
	if s.expand {
		s.printVertical(names, values)
	} else {
		s.printTable(names, values)
	}
}

// printTable is print_formatted_result: the header left-justified, a
// line of dashes, each value right-justified, columns joined by " | ",
// and a blank line.
func (s *Shell) printTable(names []formatted, rows [][]formatted) {
	widths := make([]int, len(names))
	for i, n := range names {
		widths[i] = n.width
	}
	for _, r := range rows {
		for i, v := range r {
			widths[i] = max(widths[i], v.width)
		}
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n.ljust(widths[i], s.color)
	}
	s.writeResult(strings.TrimRight(" "+strings.Join(parts, " | "), " "))
	dashes := make([]string, len(widths))
	for i, w := range widths {
		dashes[i] = strings.Repeat("-", w)
	}
	s.writeResult("-" + strings.Join(dashes, "-+-") + "-")
	for _, r := range rows {
		for i, v := range r {
			parts[i] = v.rjust(widths[i], s.color)
		}
		s.writeResult(" " + strings.Join(parts, " | "))
	}
	s.writeResult("")
}

// printVertical is print_formatted_result_vertically (EXPAND ON).
func (s *Shell) printVertical(names []formatted, rows [][]formatted) {
	nameWidth, valWidth := 0, 0
	for _, n := range names {
		nameWidth = max(nameWidth, n.width)
	}
	for _, r := range rows {
		for _, v := range r {
			valWidth = max(valWidth, v.width)
		}
	}
	for i, r := range rows {
		s.writeResult(fmt.Sprintf("@ Row %d", i+1))
		s.writeResult("-" + strings.Repeat("-", nameWidth) + "-+-" + strings.Repeat("-", valWidth) + "-")
		for j, v := range r {
			s.writeResult(" " + names[j].ljust(nameWidth, s.color) + " | " + v.pick(s.color))
		}
		s.writeResult("")
	}
}

func (s *Shell) printWarnings(warnings []string) {
	if len(warnings) == 0 {
		return
	}
	s.writeResult("")
	s.writeResult("Warnings :")
	for _, w := range warnings {
		s.writeResult(w)
		s.writeResult("")
	}
}

// columnNames formats the result's column names; with colours, partition
// key columns are red, clustering columns cyan, static columns white and
// the others magenta, as cqlsh's myformat_colname.
func (s *Shell) columnNames(ctx context.Context, cols []gocql.ColumnInfo) []formatted {
	var kinds map[string]string
	if s.color && len(cols) > 0 && cols[0].Keyspace != "" {
		kinds = s.columnKinds(ctx, cols[0].Keyspace, cols[0].Table)
	}
	f := newFormatter(false)
	names := make([]formatted, len(cols))
	for i, c := range cols {
		v := f.text(c.Name, false)
		color := ansiMagenta
		switch kinds[c.Name] {
		case "partition_key":
			color = ansiRed
		case "clustering":
			color = ansiCyan
		case "static":
			color = ansiWhite
		}
		v.colored = color + v.text + ansiReset
		names[i] = v
	}
	return names
}

// columnKinds reads the kinds of a table's columns from system_schema.
func (s *Shell) columnKinds(ctx context.Context, ks, table string) map[string]string {
	kinds := map[string]string{}
	it := s.gs.Query("SELECT column_name, kind FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?", ks, table).
		WithContext(ctx).Consistency(gocql.One).Iter()
	var name, kind string
	for it.Scan(&name, &kind) {
		kinds[name] = kind
	}
	_ = it.Close()
	return kinds
}

// readRows scans rows into cells. With onePage it stops at the end of the
// current page and reports whether more pages follow.
func readRows(it *gocql.Iter, cols []gocql.ColumnInfo, onePage bool) (rows [][]cell, more bool) {
	n := 0
	for _, c := range cols {
		if t, ok := c.TypeInfo.(gocql.TupleTypeInfo); ok {
			n += len(t.Elems)
		} else {
			n++
		}
	}
	for {
		if onePage && len(rows) > 0 && it.WillSwitchPage() {
			return rows, true
		}
		cells := make([]cell, n)
		dest := make([]any, n)
		for i := range cells {
			dest[i] = &cells[i]
		}
		if !it.Scan(dest...) {
			return rows, false
		}
		row := make([]cell, len(cols))
		k := 0
		for i, c := range cols {
			t, ok := c.TypeInfo.(gocql.TupleTypeInfo)
			if !ok {
				row[i] = cells[k]
				k++
				continue
			}
			row[i] = joinTuple(t, cells[k:k+len(t.Elems)])
			k += len(t.Elems)
		}
		rows = append(rows, row)
	}
}

// joinTuple puts back together a tuple column that gocql hands out
// element by element. A tuple whose every element is null is taken for a
// null tuple, which gocql does not tell apart.
func joinTuple(t gocql.TupleTypeInfo, elems []cell) cell {
	null := true
	var data []byte
	for _, e := range elems {
		if e.data == nil {
			data = binary.BigEndian.AppendUint32(data, 0xFFFFFFFF)
			continue
		}
		null = false
		data = binary.BigEndian.AppendUint32(data, uint32(len(e.data)))
		data = append(data, e.data...)
	}
	if null {
		data = nil
	}
	return cell{info: t, data: data}
}

// errorText renders an error of the node as cqlsh prints it: the Python
// driver's exception class and its message.
func errorText(err error) string {
	var re gocql.RequestError
	if !errors.As(err, &re) {
		switch {
		case errors.Is(err, gocql.ErrTimeoutNoResponse), errors.Is(err, context.DeadlineExceeded):
			return "OperationTimedOut: errors={}, last_host=None"
		case errors.Is(err, gocql.ErrNoConnections):
			return "NoHostAvailable: "
		}
		return err.Error()
	}
	msg := re.Message()
	server := func(code int, summary string) string {
		return fmt.Sprintf("Error from server: code=%04x [%s] message=\"%s\"", code, summary, msg)
	}
	switch e := re.(type) {
	case *gocql.RequestErrSyntax:
		return "SyntaxException: " + msg
	case *gocql.RequestErrInvalid:
		return "InvalidRequest: " + server(re.Code(), "Invalid query")
	case *gocql.RequestErrUnauthorized:
		return "Unauthorized: " + server(re.Code(), "Unauthorized")
	case *gocql.RequestErrAlreadyExists:
		if e.Table == "" {
			return fmt.Sprintf("AlreadyExists: Keyspace '%s' already exists", e.Keyspace)
		}
		return fmt.Sprintf("AlreadyExists: Table '%s.%s' already exists", e.Keyspace, e.Table)
	case *gocql.RequestErrConfig:
		return "ConfigurationException: " + msg
	case *gocql.RequestErrUnavailable:
		return fmt.Sprintf("Unavailable: %s info={'required_replicas': %d, 'alive_replicas': %d, 'consistency': '%s'}",
			server(re.Code(), "Unavailable exception"), e.Required, e.Alive, e.Consistency)
	case *gocql.RequestErrReadTimeout:
		return fmt.Sprintf("ReadTimeout: %s info={'received_responses': %d, 'required_responses': %d, 'consistency': '%s'}",
			server(re.Code(), "Coordinator node timed out waiting for replica nodes' responses"), e.Received, e.BlockFor, e.Consistency)
	case *gocql.RequestErrWriteTimeout:
		return fmt.Sprintf("WriteTimeout: %s info={'received_responses': %d, 'required_responses': %d, 'consistency': '%s'}",
			server(re.Code(), "Coordinator node timed out waiting for replica nodes' responses"), e.Received, e.BlockFor, e.Consistency)
	case *gocql.RequestErrReadFailure:
		return fmt.Sprintf("ReadFailure: %s info={'failures': %d, 'received_responses': %d, 'required_responses': %d, 'consistency': '%s'}",
			server(re.Code(), "Replica(s) failed to execute read"), e.NumFailures, e.Received, e.BlockFor, e.Consistency)
	case *gocql.RequestErrWriteFailure:
		return fmt.Sprintf("WriteFailure: %s info={'failures': %d, 'received_responses': %d, 'required_responses': %d, 'consistency': '%s'}",
			server(re.Code(), "Replica(s) failed to execute write"), e.NumFailures, e.Received, e.BlockFor, e.Consistency)
	case *gocql.RequestErrFunctionFailure:
		return "FunctionFailure: " + server(re.Code(), "User Defined Function failure")
	case *gocql.RequestErrTruncate:
		return "TruncateError: " + msg
	case *gocql.RequestErrOverloaded:
		return "OverloadedErrorMessage: " + msg
	case *gocql.RequestErrBootstrapping:
		return "IsBootstrappingErrorMessage: " + msg
	case *gocql.RequestErrCredentials:
		return "BadCredentials: " + msg
	}
	switch re.Code() {
	case gocql.ErrCodeServer:
		return "ServerError: " + msg
	case gocql.ErrCodeProtocol:
		return "ProtocolException: " + msg
	}
	return fmt.Sprintf("ErrorMessage: code=%04x message=\"%s\"", re.Code(), msg)
}
