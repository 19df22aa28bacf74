package org.creneau.notifications;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reading the mail GreenMail received: by recipient, and the parts of a multipart message. */
public final class Mails {

    private Mails() {}

    /** Waits up to 15 s for the {@code count}-th message to {@code address}. */
    public static MimeMessage awaitMailTo(GreenMail smtp, String address, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            List<MimeMessage> mine = to(smtp, address);
            if (mine.size() >= count) {
                return mine.get(count - 1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail number " + count + " to " + address);
    }

    /** The first mail to {@code address} with this subject, whatever else the address received before. */
    public static MimeMessage awaitMailTo(GreenMail smtp, String address, String subject) throws Exception {
        long deadline = System.currentTimeMillis() + 15_000;
        while (System.currentTimeMillis() < deadline) {
            for (MimeMessage m : to(smtp, address)) {
                if (subject.equals(m.getSubject())) {
                    return m;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no mail \"" + subject + "\" to " + address);
    }

    public static List<MimeMessage> to(GreenMail smtp, String address) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> {
                    try {
                        return Arrays.stream(m.getAllRecipients())
                                .anyMatch(r -> r.toString().equals(address));
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }

    /** The first part of this MIME type (such as {@code text/plain}), as text, or null. */
    public static String part(Part message, String mimeType) throws Exception {
        for (Part part : leaves(message)) {
            if (part.isMimeType(mimeType) && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
                return part.getContent().toString();
            }
        }
        return null;
    }

    /** The attachment of this file name, or null. */
    public static byte[] attachment(Part message, String fileName) throws Exception {
        for (Part part : leaves(message)) {
            if (fileName.equals(part.getFileName())) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                part.getDataHandler().writeTo(out);
                return out.toByteArray();
            }
        }
        return null;
    }

    private static List<Part> leaves(Part part) throws Exception {
        List<Part> leaves = new ArrayList<>();
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart child = multipart.getBodyPart(i);
                leaves.addAll(leaves(child));
            }
        } else {
            leaves.add(part);
        }
        return leaves;
    }
}
