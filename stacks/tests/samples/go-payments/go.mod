module example.com/ledgerline/payments

go 1.23

require (
	github.com/gin-gonic/gin v1.10.0
	github.com/jackc/pgx/v5 v5.7.2
	github.com/redis/go-redis/v9 v9.7.0
	github.com/prometheus/client_golang v1.20.5
	go.uber.org/zap v1.27.0
	github.com/stretchr/testify v1.10.0
	github.com/spf13/viper v1.19.0
	github.com/segmentio/kafka-go v0.4.47
	go.opentelemetry.io/otel v1.33.0
	github.com/golang-migrate/migrate/v4 v4.18.1
	github.com/bytedance/sonic v1.12.6 // indirect
)
