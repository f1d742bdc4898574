package main

import (
	"errors"
	"flag"
)

// parseFlags parses args with fs, a ContinueOnError set that has already
// printed any problem and its usage. -h stays flag.ErrHelp; any other
// failure becomes errUsage, so that main exits 2 without printing the
// message a second time.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	return errUsage
}
