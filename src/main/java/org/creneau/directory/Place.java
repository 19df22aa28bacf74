package org.creneau.directory;

import org.creneau.platform.InvalidInputException;

/** Where a patient searches: around a point, within a radius. */
public record Place(double latitude, double longitude, double radiusKm, String cityKey) {

    public static final double MAX_RADIUS_KM = 100;

    public Place {
        if (latitude < -90 || latitude > 90) {
            throw new InvalidInputException("lat", "must be between -90 and 90");
        }
        if (longitude < -180 || longitude > 180) {
            throw new InvalidInputException("lon", "must be between -180 and 180");
        }
        if (!(radiusKm > 0) || radiusKm > MAX_RADIUS_KM) {
            throw new InvalidInputException("radiusKm", "must be above 0 and at most " + MAX_RADIUS_KM);
        }
    }

    /** Great-circle distance in kilometres from this place's centre. */
    public double distanceKm(double lat, double lon) {
        double r = 6371.0088;
        double dLat = Math.toRadians(lat - latitude);
        double dLon = Math.toRadians(lon - longitude);
        double a = Math.sin(dLat / 2) * Math.sin(dLat / 2)
                + Math.cos(Math.toRadians(latitude))
                        * Math.cos(Math.toRadians(lat))
                        * Math.sin(dLon / 2)
                        * Math.sin(dLon / 2);
        return 2 * r * Math.asin(Math.sqrt(a));
    }
}
