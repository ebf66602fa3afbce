# Parcours: one binary for the API (serve), the workers and the scheduler
# (work) and the offline solver (solve). Pure Go (no cgo), static.
#
#   docker build -t parcours:local .
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/parcours ./cmd/parcours

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/parcours /usr/local/bin/parcours
# Embedded stores are for dev only; with MONGODB_URI and REDIS_URL set the
# data dir stays unused, but it must be writable if they are not.
ENV PARCOURS_DATA_DIR=/tmp/parcours
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/parcours"]
CMD ["serve"]
