package mongodb

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/parcours-emploi/parcours/civil"
	"github.com/parcours-emploi/parcours/jobs"
	"github.com/parcours-emploi/parcours/pathways"
)

// SeekersIn returns up to limit live beneficiaries of every organisation in
// a département, in id order: the seekers an opportunity there may concern.
func (d *DB) SeekersIn(ctx context.Context, department string, limit int) ([]pathways.Beneficiary, error) {
	return findAll(ctx, d.col(colBeneficiaries),
		bson.D{{Key: "department", Value: department}, {Key: "erased", Value: bson.D{{Key: "$exists", Value: false}}}},
		toBeneficiary, "list seekers in "+department,
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(int64(limit)))
}

// ExpireOpportunities marks expired the open opportunities whose end date
// is before today, moving their version as any change does, and returns
// how many it changed.
func (d *DB) ExpireOpportunities(ctx context.Context, today civil.Date, now time.Time) (int, error) {
	res, err := d.col(colOpportunities).UpdateMany(ctx,
		bson.D{{Key: "status", Value: jobs.StatusOpen}, {Key: "endDate", Value: bson.D{{Key: "$gt", Value: ""}, {Key: "$lt", Value: today}}}},
		bson.D{
			{Key: "$set", Value: bson.D{{Key: "status", Value: jobs.StatusExpired}, {Key: "updatedAt", Value: now.UTC().Truncate(time.Millisecond)}}},
			{Key: "$inc", Value: bson.D{{Key: "version", Value: 1}}},
		})
	if err != nil {
		return 0, translate(err, "expire opportunities")
	}
	return int(res.ModifiedCount), nil
}
