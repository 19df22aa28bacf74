package org.creneau.platform;

/** An object that does not exist or that the caller may not see: both give the same answer. */
public class NotFoundException extends RuntimeException {

    private final String resource;

    public NotFoundException(String resource) {
        super(resource + " not found");
        this.resource = resource;
    }

    public String resource() {
        return resource;
    }
}
