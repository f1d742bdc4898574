package server

import (
	"errors"
	"fmt"

	"github.com/cassa-go/cassa/server/internal/store"
	tg "github.com/cassa-go/cassa/thriftgen"
)

// ire builds an InvalidRequestException with Cassandra's text.
func ire(why string) *tg.InvalidRequestException {
	return &tg.InvalidRequestException{Why: why}
}

// iref is ire with formatting.
func iref(format string, args ...any) *tg.InvalidRequestException {
	return &tg.InvalidRequestException{Why: fmt.Sprintf(format, args...)}
}

// Messages shared by several methods (Cassandra 3.11 wording, unchanged since 2.2).
const (
	msgNoKeyspace  = "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename"
	msgNotLoggedIn = "You have not logged in"
)

// thriftErr maps an error from the internal packages to the exception a
// Thrift client sees. Thrift exceptions pass through; the store's typed
// errors become IRE or NFE; anything else stays as is and ends up as
// INTERNAL_ERROR.
func thriftErr(err error) error {
	if err == nil {
		return nil
	}
	var (
		ireE *tg.InvalidRequestException
		nfeE *tg.NotFoundException
		ueE  *tg.UnavailableException
		toE  *tg.TimedOutException
		aE   *tg.AuthenticationException
		inv  *store.InvalidError
	)
	switch {
	case errors.As(err, &ireE), errors.As(err, &nfeE), errors.As(err, &ueE), errors.As(err, &toE), errors.As(err, &aE):
		return err
	case errors.As(err, &inv):
		return ire(inv.Why)
	case errors.Is(err, store.ErrNotFound):
		return tg.NewNotFoundException()
	}
	return err
}
